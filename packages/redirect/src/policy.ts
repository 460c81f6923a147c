import {
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  originKey,
  type RequestBody,
  redactUrl,
  withRequestChanges,
} from '@x/core';
import { redirectTarget } from './location.js';
import { isRedirectStatus, rewriteMethod } from './method-rules.js';
import type { ResolvedSettings } from './settings.js';
import { BODY_HEADERS, withoutHeaders, withoutUserinfo } from './strip-headers.js';
import type { RedirectRecord } from './types.js';

/** Everything the policy needs to decide one hop. No I/O happens here. */
export interface RedirectContext {
  /** The request that got `response`. */
  readonly request: HttpRequest;
  readonly response: HttpResponse;
  readonly settings: ResolvedSettings;
  /** Redirects already followed, oldest first. */
  readonly chain: readonly RedirectRecord[];
  /** Loop keys of the hops already followed (see `loopKey`). */
  readonly seen: ReadonlySet<string>;
  /**
   * A body that can be sent again with the same bytes as `request.body`, or
   * null when that is impossible (a one-shot stream not kept, or kept only in
   * part). Irrelevant when `request.body` is null.
   */
  readonly replayBody: RequestBody | null;
}

/** What to do with a response. */
export type RedirectStep =
  /** Hand the response to the caller: not a redirect, `manual` mode, or no usable Location. */
  | { readonly kind: 'return'; readonly reason: string }
  /** Reject; the response's body must be discarded first. */
  | { readonly kind: 'refuse'; readonly error: HttpClientError }
  | {
      readonly kind: 'follow';
      readonly next: HttpRequest;
      readonly crossOrigin: boolean;
      /** The record of this hop, for `meta.redirects`. */
      readonly record: RedirectRecord;
      readonly loopKey: string;
    };

/**
 * Decides one hop, in the order that keeps the caller safest: scheme,
 * downgrade, loop, limit, then body replayability; only then is the next
 * request built.
 */
export function decideRedirect(context: RedirectContext): RedirectStep {
  const { request, response, settings, chain } = context;
  if (!isRedirectStatus(response.status)) return { kind: 'return', reason: 'not a redirect status' };
  if (settings.mode === 'manual') return { kind: 'return', reason: 'manual mode' };
  const target = redirectTarget(response.headers, request.url);
  if (target.kind === 'none') return { kind: 'return', reason: target.reason };

  const record: RedirectRecord = {
    url: redactUrl(request.url) ?? request.url.href,
    status: response.status,
    method: request.method,
  };
  const fail = (code: RefusalCode, message: string, details: Record<string, unknown> = {}): RedirectStep => ({
    kind: 'refuse',
    error: new HttpClientError(code, message, {
      method: request.method,
      url: request.url,
      // The request that got the redirect was answered, so it was sent.
      requestSent: true,
      details: { status: response.status, chain: [...chain, record], ...details },
    }),
  });

  if (settings.mode === 'error') {
    return fail('REDIRECT_REFUSED', `Redirect (${response.status}) refused: redirect mode is "error"`, {
      reason: 'mode',
    });
  }
  if (target.kind === 'unsupported') {
    return fail('REDIRECT_REFUSED', `Redirect to a ${target.scheme}: URL refused (only http and https)`, {
      reason: 'scheme',
      scheme: target.scheme,
    });
  }
  const url = target.url;
  const location = redactUrl(url) ?? url.href;
  // SECURITY.md rule 23: leaving TLS silently would expose everything the
  // caller believed was encrypted, so it needs an explicit opt-in.
  if (request.url.protocol === 'https:' && url.protocol === 'http:' && !settings.allowDowngrade) {
    return fail('REDIRECT_DOWNGRADE', `Redirect from https to http refused: ${location}`, { location });
  }
  const key = loopKey(request.method, request.url, response.status, url);
  if (settings.detectLoops && context.seen.has(key)) {
    return fail('REDIRECT_LOOP', `Redirect loop: ${record.url} redirected to ${location} again`, {
      location,
    });
  }
  if (chain.length >= settings.maxRedirects) {
    return fail(
      'REDIRECT_LIMIT',
      `Too many redirects: more than ${settings.maxRedirects} (last to ${location})`,
      { location, max: settings.maxRedirects },
    );
  }

  const rewrite = rewriteMethod(response.status, request.method, settings.preserveMethod);
  let body: RequestBody | null = null;
  if (rewrite.keepBody && request.body !== null) {
    // SECURITY.md rule 24: resending nothing where the caller sent a body
    // would be a silent, different request.
    if (context.replayBody === null) {
      return fail(
        'REDIRECT_BODY_NOT_REPLAYABLE',
        `A ${response.status} redirect must resend the ${request.method} body, but it was a one-shot stream` +
          (settings.bufferBody > 0 ? ` longer than bufferBody (${settings.bufferBody} bytes)` : ''),
        { location, bufferBody: settings.bufferBody },
      );
    }
    body = context.replayBody;
  }

  let headers = request.headers;
  if (body === null && request.body !== null) headers = withoutHeaders(headers, BODY_HEADERS);
  const crossOrigin = originKey(url) !== originKey(request.url);
  let nextUrl = url;
  if (crossOrigin) {
    // SECURITY.md rule 22. The next hop is built from this (already stripped)
    // request, so credentials stay dropped on every later hop, back to the
    // first origin included. A caller-set Host names the old origin: sending
    // it to the new one would misroute the request.
    headers = withoutHeaders(headers, [...settings.sensitiveHeaders, 'host']);
    nextUrl = withoutUserinfo(url);
  }
  const next = withRequestChanges(request, { method: rewrite.method, url: nextUrl, headers, body });
  return { kind: 'follow', next, crossOrigin, record, loopKey: key };
}

type RefusalCode =
  | 'REDIRECT_REFUSED'
  | 'REDIRECT_DOWNGRADE'
  | 'REDIRECT_LOOP'
  | 'REDIRECT_LIMIT'
  | 'REDIRECT_BODY_NOT_REPLAYABLE';

/**
 * Identity of a hop: the same request (method and URL, fragment aside)
 * getting the same redirect to the same place. Seeing it twice means the
 * chain would cycle until the limit. Revisiting a URL once is allowed on
 * purpose: login flows (A → /login → A) and cookie-setting self-redirects
 * (A → A) legitimately do it when a cookie layer below changes the request.
 */
export function loopKey(method: string, from: URL, status: number, to: URL): string {
  return `${method} ${withoutFragment(from)} ${status} ${withoutFragment(to)}`;
}

function withoutFragment(url: URL): string {
  const href = url.href;
  const hash = href.indexOf('#');
  return hash === -1 ? href : href.slice(0, hash);
}

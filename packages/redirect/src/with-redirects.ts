import {
  abortError,
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  type Layer,
  type RequestBody,
  withRequestChanges,
} from '@x/core';
import { isRedirectStatus } from './method-rules.js';
import { decideRedirect } from './policy.js';
import { type RecordingBody, recordBody } from './replay-buffer.js';
import { type ResolvedSettings, resolveLayerSettings, resolveRequestSettings } from './settings.js';
import type { RedirectHook, RedirectOptions, RedirectRecord, RedirectVerdict } from './types.js';

/**
 * Wraps `inner` so that 301, 302, 303, 307 and 308 responses are followed
 * safely: RFC 9110 §15.4 method and body rules, credentials dropped on a
 * cross-origin hop and kept dropped, no https → http downgrade, bounded and
 * loop-aware. All decisions live in `decideRedirect`; this function only
 * sends, discards and loops.
 */
export function withRedirects(inner: HttpTransport, options: RedirectOptions = {}): HttpTransport {
  const layerSettings = resolveLayerSettings(options);
  const hook = Object.hasOwn(options, 'onRedirect') ? options.onRedirect : undefined;
  if (hook !== undefined && typeof hook !== 'function') {
    throw new HttpClientError('INVALID_REQUEST', 'Invalid redirect options: onRedirect must be a function', {
      requestSent: false,
    });
  }

  // Not async: most responses are not redirects, and for those the first
  // response is handed on through one `then`, with no async frame, no
  // policy context, Location parsing or loop state.
  function request(original: HttpRequest): Promise<HttpResponse> {
    let settings: ResolvedSettings;
    let recorder: RecordingBody | undefined;
    let first: HttpRequest;
    try {
      settings = resolveRequestSettings(layerSettings, original);
      // Manual mode is a pass-through: not even the metadata is touched.
      if (settings.mode === 'manual') return inner.request(original);
      recorder = startRecording(original, settings);
      first = recorder === undefined ? original : withRequestChanges(original, { body: recorder.body });
    } catch (error) {
      // Invalid per-request settings reject, as from an async function.
      return Promise.reject(error);
    }
    return inner
      .request(first)
      .then((response) =>
        isRedirectStatus(response.status)
          ? following(original, first, response, settings, recorder)
          : finish(response, [], first),
      );
  }

  /** Follows the hops from a first redirect response until one is returned or refused. */
  async function following(
    original: HttpRequest,
    firstRequest: HttpRequest,
    firstResponse: HttpResponse,
    settings: ResolvedSettings,
    recorder: RecordingBody | undefined,
  ): Promise<HttpResponse> {
    let current = firstRequest;
    let response = firstResponse;
    const chain: RedirectRecord[] = [];
    const seen = new Set<string>();
    for (; ; response = await inner.request(current)) {
      if (!isRedirectStatus(response.status)) return finish(response, chain, current);
      const step = decideRedirect({
        request: current,
        response,
        settings,
        chain,
        seen,
        replayBody: replayable(current.body, recorder),
      });
      if (step.kind === 'return') return finish(response, chain, current);
      if (step.kind === 'refuse') {
        await discard(response);
        throw step.error;
      }
      let next = step.next;
      if (hook !== undefined) {
        const verdict = await askHook(hook, current, response, next, step.crossOrigin, chain, step.record);
        if (verdict === 'stop') return finish(response, chain, current);
        if (verdict !== undefined) next = verdict;
      }
      // Intermediate bodies are cancelled, not read: nothing is decoded or
      // buffered, and the pool below decides whether to drain or close
      // (SECURITY.md rule 25).
      await discard(response);
      chain.push(step.record);
      seen.add(step.loopKey);
      // The caller may have given up while the hop was decided.
      const signal = original.signal;
      if (signal?.aborted)
        throw abortError(signal, { method: next.method, url: next.url, requestSent: true });
      current = next;
    }
  }

  return {
    request,
    close: () => inner.close(),
  };
}

/** The same layer for `compose(base, ..., redirects(options))`. */
export function redirects(options: RedirectOptions = {}): Layer {
  return (inner) => withRedirects(inner, options);
}

/** Starts keeping a bounded copy of a one-shot body, when the settings ask for it and it can fit. */
function startRecording(request: HttpRequest, settings: ResolvedSettings): RecordingBody | undefined {
  const body = request.body;
  if (body === null || body.replayable || settings.bufferBody === 0) return undefined;
  if (body.length !== null && body.length > settings.bufferBody) return undefined;
  return recordBody(body, settings.bufferBody);
}

function replayable(body: RequestBody | null, recorder: RecordingBody | undefined): RequestBody | null {
  if (body === null) return null;
  if (body.replayable) return body;
  return recorder !== undefined && body === recorder.body ? recorder.replay() : null;
}

/** Runs the hook; resolves to the request to send, 'stop', or undefined to send the proposed one. */
async function askHook(
  hook: RedirectHook,
  request: HttpRequest,
  response: HttpResponse,
  next: HttpRequest,
  crossOrigin: boolean,
  chain: readonly RedirectRecord[],
  record: RedirectRecord,
): Promise<HttpRequest | 'stop' | undefined> {
  const refuse = async (message: string, details: Record<string, unknown>, cause?: unknown) => {
    await discard(response);
    return new HttpClientError('REDIRECT_REFUSED', message, {
      method: request.method,
      url: request.url,
      requestSent: true,
      cause,
      details: { status: response.status, chain: [...chain, record], ...details },
    });
  };
  let verdict: RedirectVerdict | undefined;
  try {
    verdict = await hook({ request, response, next, crossOrigin, chain: chain.slice() });
  } catch (error) {
    if (HttpClientError.is(error)) {
      await discard(response);
      throw error;
    }
    throw await refuse('The onRedirect hook threw', { reason: 'hook-threw' }, error);
  }
  if (verdict === undefined || verdict === 'follow') return undefined;
  if (verdict === 'stop') return 'stop';
  if (verdict === 'refuse') throw await refuse('Redirect refused by the onRedirect hook', { reason: 'hook' });
  if (typeof verdict === 'object' && verdict !== null && isHttpUrl(verdict.request?.url))
    return verdict.request;
  throw await refuse('The onRedirect hook returned an invalid verdict', { reason: 'hook-invalid' });
}

function isHttpUrl(url: unknown): boolean {
  return url instanceof URL && (url.protocol === 'http:' || url.protocol === 'https:');
}

/** Cancels a response body we will not hand out, swallowing what that may reject with. */
async function discard(response: HttpResponse): Promise<void> {
  // Cancelling settles `trailers` with a rejection nobody else will await.
  response.trailers.catch(() => undefined);
  try {
    await response.body.cancel();
  } catch {
    // Cancel is best effort; the connection is the pool's to close.
  }
}

/** The response handed to the caller: where it ended, and how it got there. */
function finish(response: HttpResponse, chain: RedirectRecord[], current: HttpRequest): HttpResponse {
  // withResponseChanges' result written as one literal: a single copy of the
  // response's own properties instead of a second one for the changes object.
  return {
    ...response,
    url: chain.length === 0 ? response.url : current.url,
    meta: { ...response.meta, redirects: chain },
  };
}

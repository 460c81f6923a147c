import type { HttpRequest, HttpResponse } from '@x/core';

/**
 * What the layer does with a 301, 302, 303, 307 or 308 that carries a usable
 * Location:
 * - `follow`: send the next request and return the final response;
 * - `manual`: return the 3xx response untouched (its body unread);
 * - `error`: reject with REDIRECT_REFUSED.
 * A 3xx without a usable Location is returned as is in every mode.
 */
export type RedirectMode = 'follow' | 'manual' | 'error';

/** Settings that may be given per layer (defaults) and overridden per request. */
export interface RedirectSettings {
  /** Default `follow`. */
  mode?: RedirectMode | undefined;
  /** Redirects followed before REDIRECT_LIMIT. Default 20 (the Fetch standard's limit). */
  maxRedirects?: number | undefined;
  /**
   * Keep POST (and its body) on 301 and 302, as RFC 9110 §15.4.2/§15.4.3
   * allow. Default false: POST becomes a bodiless GET, as every browser does.
   */
  preserveMethod?: boolean | undefined;
  /** Follow an https: → http: redirect. Default false: REDIRECT_DOWNGRADE. */
  allowDowngrade?: boolean | undefined;
  /**
   * Extra header names removed on a cross-origin hop, added to Authorization,
   * Proxy-Authorization and Cookie (which are always removed). Per-request
   * names are added to the layer's, never replace them.
   */
  sensitiveHeaders?: readonly string[] | undefined;
  /**
   * Bytes of a one-shot (streamed) request body to keep while it is sent, so
   * that a redirect that must resend it (307, 308, or 301/302 of a non-POST)
   * can. Default 0: no copy is kept and such a redirect is a
   * REDIRECT_BODY_NOT_REPLAYABLE error. A body longer than this bound is the
   * same error, never an empty or truncated resend.
   */
  bufferBody?: number | undefined;
  /**
   * Reject with REDIRECT_LOOP when the same request gets the same redirect a
   * second time (see README). Default true.
   */
  detectLoops?: boolean | undefined;
}

/** One redirect the layer followed: the URL that answered 3xx, and the status. */
export interface RedirectRecord {
  /** The URL of the request that got the redirect, userinfo removed. */
  url: string;
  status: number;
  /** The method of that request. */
  method: string;
}

/** What the `onRedirect` hook sees for each hop, before the next request is sent. */
export interface RedirectHop {
  /** The request that got the redirect. */
  readonly request: HttpRequest;
  /** The 3xx response; its body is still unread (the layer discards it after the hook). */
  readonly response: HttpResponse;
  /** The request the layer would send next, credentials and body headers already stripped. */
  readonly next: HttpRequest;
  /** True when the next request goes to another origin (scheme, host or port). */
  readonly crossOrigin: boolean;
  /** Redirects followed before this one, this one excluded. */
  readonly chain: readonly RedirectRecord[];
}

/**
 * The hook's verdict. Nothing (or `'follow'`) follows the proposed request;
 * `{ request }` sends that request instead (as given: the hook owns what it
 * adds); `'stop'` returns the 3xx response as is, body intact; `'refuse'`
 * rejects with REDIRECT_REFUSED.
 */
export type RedirectVerdict = 'follow' | 'stop' | 'refuse' | { readonly request: HttpRequest };

export type RedirectHook = (
  hop: RedirectHop,
) => RedirectVerdict | undefined | Promise<RedirectVerdict | undefined>;

/** Options of the layer: defaults for every request, plus the hook. */
export interface RedirectOptions extends RedirectSettings {
  /** Called for each hop that passed the built-in checks; may inspect, replace or veto it. */
  onRedirect?: RedirectHook | undefined;
}

declare module '@x/core' {
  interface RequestOptions {
    /** Per-request redirect settings; override the layer's. */
    redirect?: RedirectSettings | undefined;
  }
  interface ResponseMeta {
    /** Redirects followed to reach this response, in order; empty when none. */
    redirects?: RedirectRecord[] | undefined;
  }
  interface ErrorCodes {
    /** More than `maxRedirects` redirects; `details.chain` lists them. */
    REDIRECT_LIMIT: true;
    /** The same request got the same redirect twice; `details.chain` lists the hops. */
    REDIRECT_LOOP: true;
    /** An https: → http: redirect while `allowDowngrade` is false. */
    REDIRECT_DOWNGRADE: true;
    /** A redirect must resend a one-shot body that was not (or could not be) kept. */
    REDIRECT_BODY_NOT_REPLAYABLE: true;
    /** `mode: 'error'`, a Location with a scheme other than http/https, or the hook refused. */
    REDIRECT_REFUSED: true;
  }
}

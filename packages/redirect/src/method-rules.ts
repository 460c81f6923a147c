/**
 * RFC 9110 §15.4 method and body rules for the five redirect statuses, with
 * the web's historical rewrite of POST on 301/302 (Fetch standard, "HTTP-
 * redirect fetch", step 12) that RFC 9110 §15.4.2 and §15.4.3 acknowledge.
 */

/** The statuses this layer follows. 300, 304, 305 and 306 are not redirects to follow. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export function isRedirectStatus(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

export interface MethodRewrite {
  /** The method of the next request. */
  readonly method: string;
  /** Whether the next request carries the same body (which then must be resent). */
  readonly keepBody: boolean;
}

/**
 * The method and body of the request that follows a redirect.
 * - 303 See Other (§15.4.4): the target is another resource to retrieve, so
 *   anything but HEAD becomes GET, and no body goes with it.
 * - 301 / 302 (§15.4.2, §15.4.3): POST becomes a bodiless GET unless
 *   `preserveMethod`; every other method is kept with its body.
 * - 307 / 308 (§15.4.8, §15.4.9): method and body are kept; that is their
 *   whole point.
 * Methods are case-sensitive (RFC 9110 §9.1): only `POST` is rewritten.
 */
export function rewriteMethod(status: number, method: string, preserveMethod: boolean): MethodRewrite {
  if (status === 303) return { method: method === 'HEAD' ? 'HEAD' : 'GET', keepBody: false };
  if ((status === 301 || status === 302) && method === 'POST' && !preserveMethod) {
    return { method: 'GET', keepBody: false };
  }
  return { method, keepBody: true };
}

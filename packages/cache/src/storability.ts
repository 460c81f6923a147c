import { type CacheControl, cacheControl, expires, type HeaderList, vary } from '@x/headers';
import { requestCacheControl } from './cache-strategy.js';
import { HEURISTICALLY_CACHEABLE } from './freshness.js';

/**
 * May this response be stored? RFC 9111 §3, plus the shared-cache rules of
 * SECURITY.md rule 30. Pure: a function of the request, the response and
 * whether the cache is shared.
 */

export type Storability = { readonly store: true } | { readonly store: false; readonly reason: string };

export interface StorabilityInput {
  /** Shared cache rules (true) or private cache rules (false). */
  readonly shared: boolean;
  readonly requestMethod: string;
  readonly requestHeaders: HeaderList;
  readonly status: number;
  readonly responseHeaders: HeaderList;
  /** `responseHeaders`' Cache-Control when the caller parsed it already (else parsed here). */
  readonly responseDirectives?: CacheControl | undefined;
}

/** Status codes this cache understands well enough to store (RFC 9111 §3: "the response status code is final"). */
const UNDERSTOOD_STATUSES = new Set([
  200, 203, 204, 300, 301, 302, 303, 307, 308, 400, 403, 404, 405, 410, 414, 421, 451, 500, 501, 502, 503,
  504,
]);

const refuse = (reason: string): Storability => ({ store: false, reason });

export function storability(input: StorabilityInput): Storability {
  const { shared, status } = input;
  // Only GET responses are stored; HEAD is answered from (and updates) them (§4.3.5).
  if (input.requestMethod !== 'GET') return refuse('method');
  if (status < 200) return refuse('interim status');
  // A partial response is never stored as if complete; this cache does not combine ranges (§3.3).
  if (status === 206) return refuse('partial content');
  if (status === 304) return refuse('not modified');
  const request = requestCacheControl(input.requestHeaders);
  const response = input.responseDirectives ?? cacheControl(input.responseHeaders);
  if (request.noStore) return refuse('request no-store');
  // must-understand (§5.2.2.3): only a cache that implements the status code's rules may store it, and
  // such a cache ignores the no-store sent along for caches that do not.
  if (response.mustUnderstand) {
    if (!UNDERSTOOD_STATUSES.has(status)) return refuse('must-understand');
  } else if (response.noStore) {
    return refuse('response no-store');
  }
  if (shared && response.private !== false) return refuse('private');
  if (shared && input.requestHeaders.has('authorization') && !authorizedStorable(response)) {
    return refuse('authorization');
  }
  // A shared cache never replays one user's cookies to another (SECURITY.md rule 30).
  if (shared && input.responseHeaders.has('set-cookie')) return refuse('set-cookie');
  // Vary: * can never match a later request (§4.1), so storing it is pointless.
  if (input.responseHeaders.has('vary') && vary(input.responseHeaders).any) return refuse('vary *');
  if (!hasFreshnessInformation(input, response)) return refuse('no freshness information');
  return { store: true };
}

/** §3.5: a shared cache stores a response to an authenticated request only when the origin said it may. */
function authorizedStorable(response: CacheControl): boolean {
  return response.public || response.sMaxAge !== undefined || response.mustRevalidate;
}

/**
 * §3: the response must carry something that lets a cache reuse it: explicit
 * freshness (Expires, max-age, s-maxage for shared caches), `public`,
 * `private` (private caches), or a heuristically cacheable status. A
 * response with `no-cache` is also stored: it is reused only after
 * validation, which still saves its body.
 */
function hasFreshnessInformation(input: StorabilityInput, response: CacheControl): boolean {
  if (response.public || response.maxAge !== undefined || response.noCache !== false) return true;
  if (input.shared && response.sMaxAge !== undefined) return true;
  if (!input.shared && response.private !== false) return true;
  if (expires(input.responseHeaders) !== null) return true;
  return HEURISTICALLY_CACHEABLE.has(input.status);
}

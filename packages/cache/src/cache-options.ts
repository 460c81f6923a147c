import type { Clock, HttpRequest } from '@x/core';
import type { CacheStore } from './cache-store.js';
import type { CacheMode, StaleReason } from './cache-strategy.js';

/** Per-request cache options: `request.options.cache`. */
export interface RequestCacheOptions {
  /**
   * How this request uses the cache (the Fetch standard's modes):
   * - `default`: RFC 9111 as the request's own Cache-Control says;
   * - `no-store`: bypass the cache completely (no lookup, nothing stored);
   * - `reload`: go to the network without validators, store the result;
   * - `no-cache`: always validate a stored response first;
   * - `force-cache`: use any stored response however stale, else the network;
   * - `only-if-cached`: never contact the network; 504 when nothing fits.
   * Default `default`.
   */
  mode?: CacheMode | undefined;
  /**
   * Private-cache rules for this request (`private` responses stored,
   * Authorization-bearing and Set-Cookie responses too), in the cache
   * partition named by `partitionKey`, which is then required. Ignored by a
   * layer created with `shared: false`, which is private already.
   */
  private?: boolean | undefined;
  /** The partition (user, tenant) for private mode; overrides the layer's `partitionKey`. */
  partitionKey?: string | undefined;
}

/** How a response came out of the cache layer: `response.meta.cache`. */
export interface CacheMeta {
  /**
   * - `hit`: a fresh stored response, no network;
   * - `stale`: a stale stored response (see `staleReason`);
   * - `revalidated`: the stored response, confirmed by a 304;
   * - `miss`: the network's response (`stored` says whether it is being cached);
   * - `bypass`: the cache was not consulted (unsafe method, mode no-store, a conditional it does not handle).
   */
  status: 'hit' | 'stale' | 'revalidated' | 'miss' | 'bypass';
  /** Why the cache went to the network, did not store, or was bypassed (human-readable, stable words). */
  reason?: string | undefined;
  /** For `stale`: what allowed it. */
  staleReason?: StaleReason | undefined;
  /** For `miss`: whether the response is being written to the store as it is read. */
  stored?: boolean | undefined;
  /** Seconds, for responses served from the store (also in the Age header). */
  age?: number | undefined;
  /** True when a background revalidation was started for this stale response. */
  revalidating?: boolean | undefined;
  /**
   * Why the request went towards the origin, in RFC 9211 §2.2 terms: `uri-miss` (nothing stored
   * for the URI), `vary-miss` (stored, but not for these Vary'd fields), `stale` (stored but stale
   * or needing validation), `request` (the request's directives or mode asked for the network),
   * `method` (a method the cache does not answer), `bypass` (mode no-store), `miss` (other).
   */
  forward?: CacheForward | undefined;
  /** The status the origin answered with, when the request went there (RFC 9211 `fwd-status`). */
  forwardStatus?: number | undefined;
  /** Remaining freshness in seconds of the response served or stored; negative when stale (RFC 9211 `ttl`). */
  ttl?: number | undefined;
  /** True when this request waited for another one's identical origin request instead of sending its own. */
  collapsed?: boolean | undefined;
}

/** RFC 9211 §2.2 `fwd` values this cache emits. */
export type CacheForward = 'uri-miss' | 'vary-miss' | 'stale' | 'request' | 'method' | 'bypass' | 'miss';

declare module '@x/core' {
  interface RequestOptions {
    cache?: RequestCacheOptions | undefined;
  }
  interface ResponseMeta {
    cache?: CacheMeta | undefined;
  }
}

export interface CacheOptions {
  /** Where responses are kept. Default: a new `createMemoryStore()` (64 MiB, 8 MiB a response). */
  store?: CacheStore | undefined;
  /**
   * Shared-cache rules (RFC 9111 §3.5, SECURITY.md rule 30): nothing
   * `private`, nothing from requests with Authorization unless the response
   * allows it, nothing with Set-Cookie; s-maxage and proxy-revalidate
   * apply. `false` makes this a private cache (one user). Default true.
   */
  shared?: boolean | undefined;
  /** Default partition for private-mode requests that give none (per user or tenant). */
  partitionKey?: ((request: HttpRequest) => string | undefined) | undefined;
  /** Wall clock for ages and freshness. Default `systemClock()`. */
  clock?: Clock | undefined;
  /**
   * How long a stale response is kept for validation and stale-if-error
   * after its freshness (and any stale-while-revalidate / stale-if-error
   * window) ends, in milliseconds. Default 24 hours.
   */
  retainStaleMs?: number | undefined;
  /**
   * Request coalescing: concurrent misses for one cache key share one origin request. `false`
   * sends every miss on its own. Default true.
   */
  coalesce?: boolean | undefined;
  /**
   * Most requests that may wait on one in-flight origin request (besides the one that sent it);
   * a request past the bound goes to the origin on its own. Default 64.
   */
  maxFollowers?: number | undefined;
  /**
   * Most bytes of a shared (coalesced) body kept for its slowest reader: a reader that falls
   * further behind the fastest gets a LIMIT_EXCEEDED error (`details.limit` =
   * `coalesceBufferBytes`) instead of making the others wait or memory grow. Default 16 MiB.
   */
  coalesceBufferBytes?: number | undefined;
  /**
   * The RFC 9211 `Cache-Status` member this layer appends to responses it answers or forwards:
   * its name, or `false` for no header (the same facts stay in `response.meta.cache`).
   * Default `x-cache`.
   */
  cacheStatus?: string | false | undefined;
  /**
   * Most range-specs in one Range request answered from the store; a request with more gets the
   * whole response (RFC 9110 §14.2). Several ranges are merged when they overlap or touch, and
   * answered as one multipart/byteranges 206. Default 100 (as `resolveRange`).
   */
  maxRanges?: number | undefined;
  /**
   * Cap for `bytes()`/`text()`/`json()` on responses served from the store (SECURITY.md 20).
   * Responses from the network keep the cap of the body below. Default: @x/core's 64 MiB.
   */
  bufferLimit?: number | undefined;
}

export const CACHE_DEFAULTS = Object.freeze({
  shared: true,
  retainStaleMs: 24 * 60 * 60 * 1000,
  coalesce: true,
  maxFollowers: 64,
  coalesceBufferBytes: 16 * 1024 * 1024,
  cacheStatus: 'x-cache',
  maxRanges: 100,
});

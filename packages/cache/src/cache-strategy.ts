import {
  type CacheControl,
  cacheControl,
  type HeaderList,
  parseCacheControl,
  parseTokenList,
} from '@x/headers';
import type { CacheEntry } from './cache-store.js';
import { type FreshnessState, freshnessState, type StoredFreshness } from './freshness.js';
import { conditionalHeaders } from './revalidation.js';

/**
 * The decision of RFC 9111 §4 for one request, as a pure function of the
 * time, the request and the stored responses (the OkHttp CacheStrategy
 * idea): answer from the cache, answer stale, validate, or go to the
 * network. The layer only carries it out.
 */

/** Per-request cache modes, named after the Fetch standard's `RequestCache`. */
export type CacheMode = 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache' | 'only-if-cached';

export type StaleReason = 'max-stale' | 'stale-while-revalidate' | 'stale-if-error' | 'force-cache';

/** A stored response that matched the request's Vary'd headers, with its fields parsed once. */
export interface Candidate {
  readonly entry: CacheEntry;
  readonly headers: HeaderList;
  /** What of its freshness does not change in the store, when the layer has it (made once per stored head). */
  readonly freshness?: StoredFreshness | undefined;
}

export interface StrategyInput {
  /** Wall-clock ms. */
  readonly now: number;
  /** Shared-cache rules (s-maxage, proxy-revalidate apply) or private ones. */
  readonly shared: boolean;
  readonly requestHeaders: HeaderList;
  readonly mode: CacheMode;
  /** Matching stored responses, most recent first (`selectVariants`). */
  readonly candidates: readonly Candidate[];
}

export type CacheDecision =
  | { readonly action: 'fresh'; readonly candidate: Candidate; readonly state: FreshnessState }
  | {
      readonly action: 'stale';
      readonly candidate: Candidate;
      readonly state: FreshnessState;
      readonly reason: StaleReason;
      /** Serve it, and validate in the background (stale-while-revalidate). */
      readonly revalidate: boolean;
    }
  | {
      readonly action: 'network';
      readonly reason: string;
      /** The stored response being validated or replaced: stale-if-error falls back to it, a 304 updates it. */
      readonly candidate: Candidate | null;
      readonly state: FreshnessState | null;
      /** Request headers with the cache's validators; null for an unconditional request. */
      readonly conditional: HeaderList | null;
    }
  /** only-if-cached and nothing stored may be used: the layer answers 504 (RFC 9111 §5.2.1.7). */
  | { readonly action: 'unsatisfiable'; readonly reason: string };

/**
 * The request's Cache-Control; `Pragma: no-cache` counts as `no-cache` only
 * when there is no Cache-Control at all (RFC 9111 §5.4).
 */
export function requestDirectives(requestHeaders: HeaderList): {
  directives: CacheControl;
  pragmaNoCache: boolean;
} {
  if (requestHeaders.has('cache-control')) {
    return { directives: cacheControl(requestHeaders), pragmaNoCache: false };
  }
  const pragmaNoCache =
    requestHeaders.has('pragma') && parseTokenList(requestHeaders.get('pragma')).tokens.includes('no-cache');
  return { directives: NO_DIRECTIVES, pragmaNoCache };
}

/**
 * What a request without Cache-Control says (most requests): parsed once
 * rather than per request. Frozen; its `extensions` and `dropped` are
 * empty and typed read-only, and nothing here writes to them.
 */
const NO_DIRECTIVES: CacheControl = Object.freeze(parseCacheControl(null));

/** A request's Cache-Control, without parsing anything when it has none. */
export function requestCacheControl(requestHeaders: HeaderList): CacheControl {
  return requestHeaders.has('cache-control') ? cacheControl(requestHeaders) : NO_DIRECTIVES;
}

/** Go to the origin, validating the stored response when there is one (a plain function: no closure per decision). */
function network(
  input: StrategyInput,
  onlyIfCached: boolean,
  reason: string,
  state: FreshnessState | null,
): CacheDecision {
  if (onlyIfCached) return { action: 'unsatisfiable', reason };
  const candidate = input.candidates[0] ?? null;
  const conditional =
    candidate !== null && input.mode !== 'reload'
      ? conditionalHeaders(input.requestHeaders, candidate.headers)
      : null;
  return { action: 'network', reason, candidate, state, conditional };
}

/**
 * Directives that forbid serving this response stale without validation
 * (§4.2.4): must-revalidate, and proxy-revalidate in a shared cache. The
 * RFC 5861 directives are explicit permission from the same origin, so
 * they apply even with s-maxage (whose implied proxy-revalidate, §5.2.2.10,
 * is honoured for the client-side max-stale).
 */
function staleForbidden(state: FreshnessState, shared: boolean): boolean {
  const directives = state.directives;
  return directives.mustRevalidate || directives.noCache !== false || (shared && directives.proxyRevalidate);
}

export function decide(input: StrategyInput): CacheDecision {
  const { mode, shared, now } = input;
  const { directives: request, pragmaNoCache } = requestDirectives(input.requestHeaders);
  const onlyIfCached = mode === 'only-if-cached' || request.onlyIfCached;
  const candidate = input.candidates[0] ?? null;

  // A reload answers from the network only: nothing stored is validated, or stands in for an error.
  if (mode === 'reload') {
    return { action: 'network', reason: 'reload', candidate: null, state: null, conditional: null };
  }
  if (candidate === null) return network(input, onlyIfCached, 'no stored response', null);
  const state = freshnessState(
    {
      status: candidate.entry.head.status,
      headers: candidate.headers,
      requestTime: candidate.entry.head.requestTime,
      responseTime: candidate.entry.head.responseTime,
    },
    shared,
    now,
    candidate.freshness,
  );
  if (mode === 'force-cache')
    return { action: 'stale', candidate, state, reason: 'force-cache', revalidate: false };

  // §5.2.2.4: a response with no-cache is never reused without validation.
  if (state.directives.noCache !== false) return network(input, onlyIfCached, 'response no-cache', state);
  // §5.2.1.4, and the Fetch standard's no-cache mode: the caller wants a validated response.
  if (mode === 'no-cache' || request.noCache !== false || pragmaNoCache)
    return network(input, onlyIfCached, 'request no-cache', state);

  if (state.fresh) {
    // RFC 8246: an immutable response is not revalidated while fresh, even on a reload (max-age=0).
    if (state.directives.immutable) return { action: 'fresh', candidate, state };
    if (request.maxAge !== undefined && state.age > request.maxAge)
      return network(input, onlyIfCached, 'request max-age', state);
    if (request.minFresh !== undefined && state.remaining < request.minFresh)
      return network(input, onlyIfCached, 'request min-fresh', state);
    return { action: 'fresh', candidate, state };
  }

  const staleness = -state.remaining;
  const forbidden = staleForbidden(state, shared);
  // §5.2.1.2 max-stale; s-maxage implies proxy-revalidate for a shared cache (§5.2.2.10).
  const maxStaleForbidden = forbidden || (shared && state.directives.sMaxAge !== undefined);
  if (!maxStaleForbidden && request.maxStale !== undefined && staleness <= request.maxStale) {
    if (request.maxAge === undefined || state.age <= request.maxAge + request.maxStale) {
      return { action: 'stale', candidate, state, reason: 'max-stale', revalidate: false };
    }
  }
  const whileRevalidate = state.directives.staleWhileRevalidate;
  if (!forbidden && !onlyIfCached && whileRevalidate !== undefined && staleness <= whileRevalidate) {
    return { action: 'stale', candidate, state, reason: 'stale-while-revalidate', revalidate: true };
  }
  return network(input, onlyIfCached, 'stale', state);
}

/**
 * RFC 5861 §4: may a stale response stand in for an error (a 5xx or no
 * response at all)? The window is the larger of the response's and the
 * request's stale-if-error, and must-revalidate / no-cache /
 * proxy-revalidate (shared) forbid it.
 */
export function staleIfErrorAllows(
  state: FreshnessState,
  requestHeaders: HeaderList,
  shared: boolean,
): boolean {
  if (staleForbidden(state, shared)) return false;
  const request = requestCacheControl(requestHeaders).staleIfError;
  const response = state.directives.staleIfError;
  const window = Math.max(request ?? -1, response ?? -1);
  return window >= 0 && -state.remaining <= window;
}

/** Status codes RFC 5861 §4 lets stale-if-error replace. */
export function isServerError(status: number): boolean {
  return status === 500 || status === 502 || status === 503 || status === 504;
}

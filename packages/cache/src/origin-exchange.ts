import {
  abortError,
  type Clock,
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  withRequestChanges,
  withResponseChanges,
} from '@x/core';
import type { HeaderList } from '@x/headers';
import { type CacheScope, primaryKey, SHARED_SCOPE } from './cache-key.js';
import type { CacheForward, CacheMeta } from './cache-options.js';
import type { CacheEntry, CacheStore } from './cache-store.js';
import { type Candidate, isServerError, staleIfErrorAllows } from './cache-strategy.js';
import { serveFromStore } from './cached-response.js';
import { freshnessState } from './freshness.js';
import { invalidationTargets } from './invalidation.js';
import { select304Indexes } from './revalidation.js';
import { freshenEntries, type StoreAttempt, type StoreContext, storeWhileReading } from './store-response.js';

/**
 * The cache layer's trips to the origin: misses and validations (storing
 * what may be stored, applying 304s, falling back to stale-if-error),
 * unsafe methods (with invalidation) and bypasses. Decisions come from the
 * pure modules; this only carries them out.
 */

export interface ExchangeParts {
  readonly inner: HttpTransport;
  readonly store: CacheStore;
  readonly clock: Clock;
  /** Most range-specs answered from the store (`CacheOptions.maxRanges`). */
  readonly maxRanges: number;
  /** Cap for buffering helpers on bodies served from the store (`CacheOptions.bufferLimit`). */
  readonly bufferLimit?: number | undefined;
  /** This cache's Cache-Status member for a response served from the store; absent when the layer writes none. */
  readonly servedStatus?: ((meta: CacheMeta) => string) | undefined;
}

/** Why and how a request goes to the origin. */
export interface NetworkPlan {
  readonly candidates: readonly Candidate[];
  /** The stored response being validated or replaced (stale-if-error falls back to it). */
  readonly candidate: Candidate | null;
  /** Request headers with the cache's validators; null for an unconditional request. */
  readonly conditional: HeaderList | null;
  readonly reason: string;
  readonly forward: CacheForward;
}

export interface OriginExchange {
  network(request: HttpRequest, context: StoreContext, plan: NetworkPlan): Promise<HttpResponse>;
  /** The stored response, with its body, or null when the store lost the body. */
  serve(
    request: HttpRequest,
    context: StoreContext,
    candidate: Candidate,
    age: number,
    meta: CacheMeta,
  ): Promise<HttpResponse | null>;
  unsafe(request: HttpRequest, scope: CacheScope): Promise<HttpResponse>;
  bypass(request: HttpRequest, reason: string, forward: CacheForward): Promise<HttpResponse>;
}

export const withMeta = (response: HttpResponse, cache: CacheMeta): HttpResponse =>
  withResponseChanges(response, { meta: { ...response.meta, cache } });

export function createOriginExchange(parts: ExchangeParts): OriginExchange {
  const { inner, store, clock } = parts;

  const serve: OriginExchange['serve'] = (
    request: HttpRequest,
    context: StoreContext,
    candidate: Candidate,
    age: number,
    meta: CacheMeta,
  ): Promise<HttpResponse | null> => {
    if (request.signal?.aborted) {
      throw abortError(request.signal, { method: request.method, url: request.url, requestSent: false });
    }
    return serveFromStore({
      store,
      key: context.key,
      candidate,
      age,
      method: request.method,
      requestHeaders: request.headers,
      url: request.url,
      meta: { cache: meta },
      signal: request.signal,
      maxRanges: parts.maxRanges,
      bufferLimit: parts.bufferLimit,
      cacheStatus: parts.servedStatus?.(meta),
    });
  };

  /** Goes to the origin: validating `candidate` when `conditional` is set, storing what may be stored. */
  async function network(
    request: HttpRequest,
    context: StoreContext,
    plan: NetworkPlan,
  ): Promise<HttpResponse> {
    const { candidates, candidate, conditional, reason, forward } = plan;
    // A caller's own validators are sent as they are and the cache adds none: the answer is theirs.
    const callerConditional = hasCallerValidators(request.headers);
    const ours = !callerConditional && conditional !== null;
    const sent = ours ? withRequestChanges(request, { headers: conditional }) : request;
    const requestTime = clock.now();
    let response: HttpResponse;
    try {
      response = await inner.request(sent);
    } catch (error) {
      // The caller's own abort, or a request the origin never could get, is not an origin failure to hide.
      if (!isOriginFailure(error) || request.signal?.aborted) throw error;
      const fallback = await staleOnError(request, context, candidate, undefined);
      if (fallback) return fallback;
      throw error;
    }
    const responseTime = clock.now();

    if (candidate !== null && isServerError(response.status)) {
      const fallback = await staleOnError(request, context, candidate, response.status);
      if (fallback) {
        await response.body.cancel().catch(() => undefined);
        return fallback;
      }
    }

    if (response.status === 304 && candidates.length > 0) {
      const targets = targetsOf304(candidates, response.headers);
      const updated = await freshenEntries(context, targets, response.headers, requestTime, responseTime);
      if (!ours) {
        return withMeta(response, { status: 'miss', reason: 'caller conditional', forward: 'request' });
      }
      // A 304 has no content (RFC 9110 §15.4.5): ending its body needs no wait before serving.
      response.body.cancel().catch(ignore);
      const refreshed = updated[0];
      if (refreshed !== undefined) {
        const head = refreshed.entry.head;
        const state = freshnessState(
          { status: head.status, headers: refreshed.headers, requestTime, responseTime },
          context.shared,
          clock.now(),
          refreshed.freshness,
        );
        const served = await serve(request, context, refreshed, state.age, {
          status: 'revalidated',
          age: state.age,
          forwardStatus: 304,
          ttl: state.remaining,
        });
        if (served) return served;
      }
      // §4.3.3: a 304 that matches nothing stored cannot answer an unconditional request; ask again without validators.
      return network(request, context, {
        candidates: [],
        candidate: null,
        conditional: null,
        reason: 'unusable 304',
        forward: 'miss',
      });
    }

    if (request.method === 'HEAD') {
      if (response.status === 200 && candidates.length > 0) {
        // §4.3.5: a HEAD response freshens the stored GET response it describes.
        const targets = targetsOf304(candidates, response.headers);
        await freshenEntries(context, targets, response.headers, requestTime, responseTime);
      }
      return withMeta(response, { status: 'miss', reason, stored: false, forward });
    }

    const attempt = await storeWhileReading(
      context,
      request.method,
      request.headers,
      response,
      requestTime,
      responseTime,
    );
    return withMeta(attempt.response, missMeta(attempt, reason, forward, context.shared));
  }

  /** RFC 5861 §4: the stale response instead of an error, when its stale-if-error window allows. */
  async function staleOnError(
    request: HttpRequest,
    context: StoreContext,
    candidate: Candidate | null,
    forwardStatus: number | undefined,
  ): Promise<HttpResponse | null> {
    if (candidate === null) return null;
    const state = freshnessState(
      { ...candidate.entry.head, headers: candidate.headers },
      context.shared,
      clock.now(),
    );
    if (!staleIfErrorAllows(state, request.headers, context.shared)) return null;
    return serve(request, context, candidate, state.age, {
      status: 'stale',
      staleReason: 'stale-if-error',
      age: state.age,
      forwardStatus,
      ttl: state.remaining,
    });
  }

  async function unsafe(request: HttpRequest, scope: CacheScope): Promise<HttpResponse> {
    const response = await inner.request(request);
    const targets = invalidationTargets(request.method, request.url, response.status, response.headers);
    for (const target of targets) {
      const scopes = scope.kind === 'shared' ? [scope] : [scope, SHARED_SCOPE];
      for (const each of scopes) await store.delete(primaryKey(each, 'GET', target)).catch(() => undefined);
    }
    return withMeta(response, {
      status: 'bypass',
      reason: targets.length > 0 ? 'unsafe method; invalidated' : 'unsafe method',
      forward: 'method',
    });
  }

  async function bypass(request: HttpRequest, reason: string, forward: CacheForward): Promise<HttpResponse> {
    return withMeta(await inner.request(request), { status: 'bypass', reason, forward });
  }

  return { network, serve, unsafe, bypass };
}

/** The metadata of a miss: why it went to the origin, whether it is being stored, and for how long it will be fresh. */
export function missMeta(
  attempt: StoreAttempt,
  reason: string,
  forward: CacheForward,
  shared: boolean,
): CacheMeta {
  const { head, parsed } = attempt;
  // Its freshness as the response is received (age at responseTime), from what storing it computed.
  const ttl =
    head === undefined || parsed === undefined
      ? undefined
      : freshnessState(
          {
            status: head.status,
            headers: parsed.headers,
            requestTime: head.requestTime,
            responseTime: head.responseTime,
          },
          shared,
          head.responseTime,
          parsed.freshness,
        ).remaining;
  return {
    status: 'miss',
    reason: attempt.reason === undefined ? reason : `${reason}; not stored: ${attempt.reason}`,
    stored: attempt.stored,
    forward,
    ttl,
  };
}

const ignore = (): undefined => undefined;

/** RFC 5861 §4 "an error is any situation that would result in a 500, 502, 503, or 504": no usable answer from upstream. */
const ORIGIN_FAILURES: ReadonlySet<string> = new Set([
  'CONNECT_FAILED',
  'DNS_FAILED',
  'TLS_FAILED',
  'TIMEOUT',
  'PROTOCOL_ERROR',
  'CONNECTION_CLOSED',
]);

function isOriginFailure(error: unknown): boolean {
  return HttpClientError.is(error) && ORIGIN_FAILURES.has(error.code);
}

export function hasCallerValidators(headers: HeaderList): boolean {
  return headers.has('if-none-match') || headers.has('if-modified-since');
}

/** §4.3.4: the stored responses (as candidates, with their parsed fields) a 304 or HEAD response freshens. */
export function targetsOf304(candidates: readonly Candidate[], newer: HeaderList): Candidate[] {
  return select304Indexes(
    candidates.map((candidate) => candidate.headers),
    newer,
  ).map((index) => candidates[index] as Candidate);
}

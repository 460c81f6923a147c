import {
  abortError,
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  type Layer,
  systemClock,
} from '@x/core';
import type { HeaderList } from '@x/headers';
import { createRevalidator } from './background-revalidation.js';
import { primaryKey } from './cache-key.js';
import { CACHE_DEFAULTS, type CacheMeta, type CacheOptions } from './cache-options.js';
import {
  cacheStatusName,
  cacheStatusNameText,
  cacheStatusText,
  forwardReason,
  withCacheStatus,
} from './cache-status.js';
import {
  type CacheDecision,
  type CacheMode,
  type Candidate,
  decide,
  requestDirectives,
  staleIfErrorAllows,
} from './cache-strategy.js';
import { gatewayTimeout, notModifiedFromStore } from './cached-response.js';
import { createCoalescedMiss } from './coalesced-miss.js';
import { createCoalescer } from './coalescing.js';
import { isSafeMethod } from './invalidation.js';
import { createOriginExchange, hasCallerValidators } from './origin-exchange.js';
import { resolveRequestCache } from './request-cache-options.js';
import { answerConditional } from './revalidation.js';
import { createParsedHeads, lookupCandidates } from './store-lookup.js';
import type { StoreContext } from './store-response.js';
import { createMemoryStore } from './stores/memory-store.js';

/** The cache layer's transport: an HttpTransport that can also report when background work is done. */
export interface CacheTransport extends HttpTransport {
  /** Resolves once the background revalidations started so far (stale-while-revalidate) have finished. */
  idle(): Promise<void>;
}

/**
 * The RFC 9111 cache layer. Decisions come from the pure modules
 * (`decide`, `storability`, `select304Targets`...); this function only
 * looks up, asks, and acts. The store is never trusted to work: a failing
 * store makes the layer behave as if nothing were cached.
 */
export function withCache(inner: HttpTransport, given: CacheOptions = {}): CacheTransport {
  // Own properties only (SECURITY.md 4): an inherited `shared: false` must not make a shared cache private.
  const options = ownProperties(given);
  const clock = options.clock ?? systemClock();
  const ownsStore = options.store === undefined;
  const store = options.store ?? createMemoryStore({ clock });
  const layerShared = options.shared ?? CACHE_DEFAULTS.shared;
  const retainStaleMs = options.retainStaleMs ?? CACHE_DEFAULTS.retainStaleMs;
  const statusOption = options.cacheStatus ?? CACHE_DEFAULTS.cacheStatus;
  const statusName = statusOption === false ? null : cacheStatusName(statusOption);
  const statusNameText = statusName === null ? '' : cacheStatusNameText(statusName);
  const coalescing = options.coalesce ?? CACHE_DEFAULTS.coalesce;
  const revalidator = createRevalidator(inner, clock);
  const maxRanges = options.maxRanges ?? CACHE_DEFAULTS.maxRanges;
  // A response answered from the store gets this cache's member as it is built (hit, stale, revalidated);
  // a forwarded one gets it in request() below.
  const servedStatus =
    statusName === null
      ? undefined
      : (meta: CacheMeta) => cacheStatusText(statusName, statusNameText, meta, 200);
  const exchange = createOriginExchange({
    inner,
    store,
    clock,
    maxRanges,
    bufferLimit: options.bufferLimit,
    servedStatus,
  });
  const coalescedMiss = createCoalescedMiss({
    inner,
    clock,
    exchange,
    coalescer: createCoalescer({
      maxFollowers: options.maxFollowers ?? CACHE_DEFAULTS.maxFollowers,
      bufferBytes: options.coalesceBufferBytes ?? CACHE_DEFAULTS.coalesceBufferBytes,
    }),
  });
  const parsedHeads = createParsedHeads();
  let closed = false;

  async function request(request: HttpRequest): Promise<HttpResponse> {
    const response = await handle(request);
    if (statusName === null || answeredFromStore(response)) return response;
    return withCacheStatus(response, statusName, statusNameText);
  }

  async function handle(request: HttpRequest): Promise<HttpResponse> {
    const { method, url } = request;
    if (closed) {
      throw new HttpClientError('TRANSPORT_CLOSED', 'The cache layer is closed', {
        method,
        url,
        requestSent: false,
      });
    }
    const settings = resolveRequestCache(request, layerShared, options.partitionKey);
    if (!isSafeMethod(method)) return exchange.unsafe(request, settings.scope);
    if (settings.mode === 'no-store') return exchange.bypass(request, 'mode no-store', 'bypass');
    if (method !== 'GET' && method !== 'HEAD') return exchange.bypass(request, 'method', 'method');
    // If-Match / If-Unmodified-Since ask the origin about its current state; only it can answer.
    if (request.headers.has('if-match') || request.headers.has('if-unmodified-since')) {
      return exchange.bypass(request, 'precondition', 'request');
    }
    if (request.signal?.aborted) throw abortError(request.signal, { method, url, requestSent: false });
    const context: StoreContext = {
      store,
      key: primaryKey(settings.scope, 'GET', url),
      shared: settings.scope.kind === 'shared',
      retainStaleMs,
      parsedHeads,
    };
    const found = await lookupCandidates(store, context.key, request.headers, parsedHeads);
    const decision = decide({
      now: clock.now(),
      shared: context.shared,
      requestHeaders: request.headers,
      mode: settings.mode,
      candidates: found.candidates,
    });
    return act(request, context, found, decision, settings.mode);
  }

  async function act(
    request: HttpRequest,
    context: StoreContext,
    found: { candidates: readonly Candidate[]; storedCount: number },
    decision: CacheDecision,
    mode: CacheMode,
  ): Promise<HttpResponse> {
    const { method, url } = request;
    switch (decision.action) {
      case 'unsatisfiable':
        return gatewayTimeout(url, { cache: { status: 'miss', reason: 'only-if-cached' } }, method);
      case 'fresh': {
        const { age, remaining: ttl } = decision.state;
        if (hasCallerValidators(request.headers)) {
          if (answerConditional(request.headers, decision.candidate.headers) === 'not-modified') {
            const meta = { status: 'hit', age, ttl } as const;
            return notModifiedFromStore(decision.candidate, age, url, { cache: meta }, servedStatus?.(meta));
          }
        }
        const meta = { status: 'hit', age, ttl } as const;
        const served = await exchange.serve(request, context, decision.candidate, age, meta);
        if (served) return served;
        return bodyMissing(request, context, mode);
      }
      case 'stale': {
        const { age, remaining: ttl } = decision.state;
        if (decision.revalidate) revalidator.start(request, context, decision.candidate);
        const revalidating = decision.revalidate;
        const meta = { status: 'stale', staleReason: decision.reason, age, ttl, revalidating } as const;
        const served = await exchange.serve(request, context, decision.candidate, age, meta);
        if (served) return served;
        return bodyMissing(request, context, mode);
      }
      case 'network': {
        const plan = {
          candidates: found.candidates,
          candidate: decision.candidate,
          conditional: decision.conditional,
          reason: decision.reason,
          forward: forwardReason(decision, found.storedCount),
        };
        if (coalescing && coalescable(request, decision, context.shared)) {
          return coalescedMiss.run(request, context, plan, mode);
        }
        return exchange.network(request, context, plan);
      }
    }
  }

  /** The store listed a response but lost its body: a miss, unless the network is off limits. */
  const bodyMissing = (
    request: HttpRequest,
    context: StoreContext,
    mode: CacheMode,
  ): Promise<HttpResponse> => {
    if (mode === 'only-if-cached' || requestDirectives(request.headers).directives.onlyIfCached) {
      return Promise.resolve(
        gatewayTimeout(request.url, { cache: { status: 'miss', reason: 'only-if-cached' } }, request.method),
      );
    }
    return exchange.network(request, context, {
      candidates: [],
      candidate: null,
      conditional: null,
      reason: 'stored body missing',
      forward: 'miss',
    });
  };

  return {
    request,
    idle: () => revalidator.idle(),
    async close() {
      if (closed) return;
      closed = true;
      await revalidator.stop();
      await inner.close();
      if (ownsStore) await store.close();
    },
  };
}

/** Responses built from the store (their Cache-Status member was written with their fields). */
function answeredFromStore(response: HttpResponse): boolean {
  const status = response.meta.cache?.status;
  return status === 'hit' || status === 'stale' || status === 'revalidated';
}

/** The layer for `compose(base, cache({ ... }))`. */
export function cache(options: CacheOptions = {}): Layer {
  return (inner) => withCache(inner, options);
}

/**
 * Which misses may share one origin request: plain GETs that send no
 * validators and want the whole representation, for which no stored
 * response could stand in on an error (stale-if-error needs the request's
 * own exchange).
 */
function coalescable(request: HttpRequest, decision: CacheDecision, shared: boolean): boolean {
  if (decision.action !== 'network' || decision.conditional !== null) return false;
  if (request.method !== 'GET' || request.body !== null) return false;
  if (hasCallerValidators(request.headers) || request.headers.has('range')) return false;
  return decision.candidate === null || !staleIfErrorPossible(decision, request.headers, shared);
}

function staleIfErrorPossible(decision: CacheDecision, headers: HeaderList, shared: boolean): boolean {
  if (decision.action !== 'network' || decision.state === null) return false;
  return staleIfErrorAllows(decision.state, headers, shared);
}

/** A null-prototype copy of the caller's own enumerable options. */
function ownProperties(given: CacheOptions): CacheOptions {
  const copy = Object.create(null) as Record<string, unknown>;
  if (typeof given !== 'object' || given === null) return copy as CacheOptions;
  for (const key of Object.keys(given)) copy[key] = (given as Record<string, unknown>)[key];
  return copy as CacheOptions;
}

import {
  abortError,
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  type Layer,
  systemClock,
  withRequestChanges,
  withResponseChanges,
} from '@x/core';
import type { HeaderList } from '@x/headers';
import { createRevalidator } from './background-revalidation.js';
import { type CacheScope, primaryKey, SHARED_SCOPE, selectVariants } from './cache-key.js';
import { CACHE_DEFAULTS, type CacheMeta, type CacheOptions } from './cache-options.js';
import type { CacheEntry } from './cache-store.js';
import {
  type CacheDecision,
  type CacheMode,
  type Candidate,
  decide,
  isServerError,
  requestDirectives,
  staleIfErrorAllows,
} from './cache-strategy.js';
import { gatewayTimeout, notModifiedFromStore, serveFromStore } from './cached-response.js';
import { dateValue, freshnessState } from './freshness.js';
import { invalidationTargets, isSafeMethod } from './invalidation.js';
import { resolveRequestCache } from './request-cache-options.js';
import { answerConditional, select304Targets } from './revalidation.js';
import { freshenEntries, type StoreContext, storeWhileReading } from './store-response.js';
import { headerListOf } from './stored-fields.js';
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
export function withCache(inner: HttpTransport, options: CacheOptions = {}): CacheTransport {
  const clock = options.clock ?? systemClock();
  const ownsStore = options.store === undefined;
  const store = options.store ?? createMemoryStore({ clock });
  const layerShared = options.shared ?? CACHE_DEFAULTS.shared;
  const retainStaleMs = options.retainStaleMs ?? CACHE_DEFAULTS.retainStaleMs;
  const revalidator = createRevalidator(inner, clock);
  let closed = false;

  const contextFor = (scope: CacheScope, url: URL): StoreContext => ({
    store,
    key: primaryKey(scope, 'GET', url),
    shared: scope.kind === 'shared',
    retainStaleMs,
  });

  const lookup = async (key: string, requestHeaders: HeaderList): Promise<Candidate[]> => {
    let entries: CacheEntry[];
    try {
      entries = await store.list(key);
    } catch {
      return [];
    }
    const candidates: Candidate[] = [];
    const headersByEntry = new Map<CacheEntry, HeaderList>();
    for (const entry of entries) {
      const headers = headerListOf(entry.head.headers);
      if (headers !== null) headersByEntry.set(entry, headers);
    }
    const dateOf = (entry: CacheEntry) =>
      dateValue({ ...entry.head, headers: headersByEntry.get(entry) as HeaderList });
    for (const entry of selectVariants([...headersByEntry.keys()], requestHeaders, dateOf)) {
      candidates.push({ entry, headers: headersByEntry.get(entry) as HeaderList });
    }
    return candidates;
  };

  const withMeta = (response: HttpResponse, cache: CacheMeta): HttpResponse =>
    withResponseChanges(response, { meta: { ...response.meta, cache } });

  async function request(request: HttpRequest): Promise<HttpResponse> {
    const { method, url } = request;
    if (closed) {
      throw new HttpClientError('TRANSPORT_CLOSED', 'The cache layer is closed', {
        method,
        url,
        requestSent: false,
      });
    }
    const settings = resolveRequestCache(request, layerShared, options.partitionKey);
    if (!isSafeMethod(method)) return unsafe(request, settings.scope);
    if (settings.mode === 'no-store') return bypass(request, 'mode no-store');
    if (method !== 'GET' && method !== 'HEAD') return bypass(request, 'method');
    // If-Match / If-Unmodified-Since ask the origin about its current state; only it can answer.
    if (request.headers.has('if-match') || request.headers.has('if-unmodified-since')) {
      return bypass(request, 'precondition');
    }
    if (request.signal?.aborted) throw abortError(request.signal, { method, url, requestSent: false });
    const context = contextFor(settings.scope, url);
    const candidates = await lookup(context.key, request.headers);
    const decision = decide({
      now: clock.now(),
      shared: context.shared,
      requestHeaders: request.headers,
      mode: settings.mode,
      candidates,
    });
    return act(request, context, candidates, decision, settings.mode);
  }

  async function act(
    request: HttpRequest,
    context: StoreContext,
    candidates: readonly Candidate[],
    decision: CacheDecision,
    mode: CacheMode,
  ): Promise<HttpResponse> {
    const { method, url } = request;
    switch (decision.action) {
      case 'unsatisfiable':
        return gatewayTimeout(url, { cache: { status: 'miss', reason: 'only-if-cached' } }, method);
      case 'fresh': {
        const age = decision.state.age;
        if (hasCallerValidators(request.headers)) {
          if (answerConditional(request.headers, decision.candidate.headers) === 'not-modified') {
            return notModifiedFromStore(decision.candidate, age, url, { cache: { status: 'hit', age } });
          }
        }
        const served = await serve(request, context, decision.candidate, age, { status: 'hit', age });
        if (served) return served;
        return bodyMissing(request, context, mode);
      }
      case 'stale': {
        const age = decision.state.age;
        if (decision.revalidate) revalidator.start(request, context, decision.candidate);
        const revalidating = decision.revalidate;
        const meta: CacheMeta = { status: 'stale', staleReason: decision.reason, age, revalidating };
        const served = await serve(request, context, decision.candidate, age, meta);
        if (served) return served;
        return bodyMissing(request, context, mode);
      }
      case 'network':
        return network(
          request,
          context,
          candidates,
          decision.candidate,
          decision.conditional,
          decision.reason,
        );
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
    return network(request, context, [], null, null, 'stored body missing');
  };

  const serve = (
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
    });
  };

  /** Goes to the origin: validating `candidate` when `conditional` is set, storing what may be stored. */
  async function network(
    request: HttpRequest,
    context: StoreContext,
    candidates: readonly Candidate[],
    candidate: Candidate | null,
    conditional: HeaderList | null,
    reason: string,
  ): Promise<HttpResponse> {
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
      const fallback = await staleOnError(request, context, candidate);
      if (fallback) return fallback;
      throw error;
    }
    const responseTime = clock.now();

    if (candidate !== null && isServerError(response.status)) {
      const fallback = await staleOnError(request, context, candidate);
      if (fallback) {
        await response.body.cancel().catch(() => undefined);
        return fallback;
      }
    }

    if (response.status === 304 && candidates.length > 0) {
      const targets = select304Targets(
        candidates.map((item) => item.entry),
        (entry) => headersOf(candidates, entry),
        response.headers,
      );
      const updated = await freshenEntries(context, targets, response.headers, requestTime, responseTime);
      if (!ours) return withMeta(response, { status: 'miss', reason: 'caller conditional' });
      await response.body.cancel().catch(() => undefined);
      const fresh = updated[0] && headerListOf(updated[0].head.headers);
      if (updated[0] && fresh) {
        const refreshed: Candidate = { entry: updated[0], headers: fresh };
        const state = freshnessState({ ...updated[0].head, headers: fresh }, context.shared, clock.now());
        const served = await serve(request, context, refreshed, state.age, {
          status: 'revalidated',
          age: state.age,
        });
        if (served) return served;
      }
      // §4.3.3: a 304 that matches nothing stored cannot answer an unconditional request; ask again without validators.
      return network(request, context, [], null, null, 'unusable 304');
    }

    if (request.method === 'HEAD') {
      if (response.status === 200 && candidates.length > 0) {
        // §4.3.5: a HEAD response freshens the stored GET response it describes.
        const targets = select304Targets(
          candidates.map((item) => item.entry),
          (entry) => headersOf(candidates, entry),
          response.headers,
        );
        await freshenEntries(context, targets, response.headers, requestTime, responseTime);
      }
      return withMeta(response, { status: 'miss', reason, stored: false });
    }

    const attempt = await storeWhileReading(
      context,
      request.method,
      request.headers,
      response,
      requestTime,
      responseTime,
    );
    return withMeta(attempt.response, {
      status: 'miss',
      reason: attempt.reason === undefined ? reason : `${reason}; not stored: ${attempt.reason}`,
      stored: attempt.stored,
    });
  }

  /** RFC 5861 §4: the stale response instead of an error, when its stale-if-error window allows. */
  async function staleOnError(
    request: HttpRequest,
    context: StoreContext,
    candidate: Candidate | null,
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
    });
  }

  async function bypass(request: HttpRequest, reason: string): Promise<HttpResponse> {
    return withMeta(await inner.request(request), { status: 'bypass', reason });
  }

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

/** The layer for `compose(base, cache({ ... }))`. */
export function cache(options: CacheOptions = {}): Layer {
  return (inner) => withCache(inner, options);
}

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

function hasCallerValidators(headers: HeaderList): boolean {
  return headers.has('if-none-match') || headers.has('if-modified-since');
}

function headersOf(candidates: readonly Candidate[], entry: CacheEntry): HeaderList {
  return (candidates.find((item) => item.entry === entry) as Candidate).headers;
}

import {
  type Clock,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  withRequestChanges,
} from '@x/core';
import { matchesVariant } from './cache-key.js';
import { type CacheMode, decide } from './cache-strategy.js';
import type { Coalescer, FlightExchange, FlightPlan } from './coalescing.js';
import { missMeta, type NetworkPlan, type OriginExchange, withMeta } from './origin-exchange.js';
import { type StoreContext, storeWhileReading } from './store-response.js';
import { headerListOf } from './stored-fields.js';

/**
 * A miss that may share its origin request with concurrent misses for the
 * same key (see `coalescing.ts`). The request that starts the flight sends
 * it and stores the response as usual; a waiting request takes the shared
 * response only when RFC 9111 would let it reuse that response from the
 * store (its Vary'd fields match, and `decide` would serve it to this
 * request's own directives and mode, fresh or allowed stale), and otherwise goes to the origin
 * itself, as it does when the flight is full, fails or is not storable.
 */
export interface CoalescedMiss {
  run(request: HttpRequest, context: StoreContext, plan: NetworkPlan, mode: CacheMode): Promise<HttpResponse>;
}

export function createCoalescedMiss(parts: {
  readonly inner: HttpTransport;
  readonly clock: Clock;
  readonly exchange: OriginExchange;
  readonly coalescer: Coalescer;
}): CoalescedMiss {
  const { inner, clock, exchange, coalescer } = parts;
  return {
    async run(request, context, plan, mode) {
      const flightPlan = new MissFlightPlan(inner, clock, request, context, plan, mode);
      const participation = await coalescer.join(context.key, request, flightPlan);
      switch (participation.role) {
        case 'leader':
          return participation.response;
        case 'follower': {
          const meta = participation.response.meta.cache;
          return withMeta(participation.response, { status: 'miss', ...meta, collapsed: true });
        }
        case 'alone':
          return exchange.network(request, context, plan);
      }
    },
  };
}

/** One miss's part in a flight: sending and storing the origin request, and judging a shared response. */
class MissFlightPlan implements FlightPlan {
  readonly #inner: HttpTransport;
  readonly #clock: Clock;
  readonly #request: HttpRequest;
  readonly #context: StoreContext;
  readonly #plan: NetworkPlan;
  readonly #mode: CacheMode;

  constructor(
    inner: HttpTransport,
    clock: Clock,
    request: HttpRequest,
    context: StoreContext,
    plan: NetworkPlan,
    mode: CacheMode,
  ) {
    this.#inner = inner;
    this.#clock = clock;
    this.#request = request;
    this.#context = context;
    this.#plan = plan;
    this.#mode = mode;
  }

  async exchange(signal: AbortSignal | undefined): Promise<FlightExchange> {
    const request = this.#request;
    const context = this.#context;
    const requestTime = this.#clock.now();
    // No flight signal: the request that started it has none either, and is sent as it is.
    const response = await this.#inner.request(
      signal === undefined ? request : withRequestChanges(request, { signal }),
    );
    const responseTime = this.#clock.now();
    const attempt = await storeWhileReading(
      context,
      'GET',
      request.headers,
      response,
      requestTime,
      responseTime,
    );
    const meta = missMeta(attempt, this.#plan.reason, this.#plan.forward, context.shared);
    return { response: withMeta(attempt.response, meta), shareable: attempt.stored, head: attempt.head };
  }

  accepts(shared: FlightExchange): boolean {
    const head = shared.head;
    const headers = head === undefined ? null : headerListOf(head.fields);
    if (head === undefined || headers === null) return false;
    const entry = { variant: '', bodyId: '', bodySize: 0, head };
    if (!matchesVariant(entry, this.#request.headers)) return false;
    const decision = decide({
      now: this.#clock.now(),
      shared: this.#context.shared,
      requestHeaders: this.#request.headers,
      mode: this.#mode,
      candidates: [{ entry, headers }],
    });
    // Stale is fine when this request allows it (max-stale, force-cache): it is the newest there is.
    return decision.action === 'fresh' || decision.action === 'stale';
  }
}

import {
  abortError,
  type Clock,
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  type Layer,
  systemClock,
  withResponseChanges,
} from '@x/core';
import { RetryBudget, type RetryBudgetOptions } from './retry-budget.js';
import { DEFAULT_RETRY_POLICY, decideRetry, type Outcome, type RetryPolicy } from './retry-policy.js';

/** One retry that happened: why, and how long the layer waited before it. */
export interface RetryRecord {
  readonly reason: string;
  readonly delay: number;
}

declare module '@x/core' {
  interface RequestOptions {
    /** `false` disables retries for this request; an object overrides parts of the policy. */
    retry?: false | Partial<RetryPolicy> | undefined;
  }
  interface ResponseMeta {
    /** Attempts made (1 = no retry) and the retries, in order. */
    retry?: { attempts: number; retries: readonly RetryRecord[] } | undefined;
  }
}

export interface RetryOptions extends Partial<RetryPolicy> {
  clock?: Clock;
  /** Source of jitter in [0, 1); injectable for tests. Default Math.random. */
  random?: () => number;
  /** The retry budget, or false for none. Default: 20% of requests, at least 10 per 10 s. */
  budget?: Partial<RetryBudgetOptions> | false;
}

/**
 * Retries as a layer. Safe by default: only idempotent methods (or a request
 * with an Idempotency-Key, or one that provably never reached the server),
 * only replayable bodies, only transient failures (network errors and 408,
 * 429, 500, 502, 503, 504), backoff with full jitter, Retry-After honoured up
 * to a cap, and a budget so retries cannot multiply an outage.
 *
 * A retried response's body is cancelled (the connection below decides to
 * drain or close it). When retries end, the last response is returned (a
 * 503 is still a response) or the last error is thrown.
 */
export function withRetries(inner: HttpTransport, options: RetryOptions = {}): HttpTransport {
  const clock = options.clock ?? systemClock();
  const random = options.random ?? Math.random;
  // Own property only: an inherited `budget: false` from a polluted
  // Object.prototype must not switch the budget off (SECURITY.md rule 4).
  const budgetOption = Object.hasOwn(options, 'budget') ? options.budget : undefined;
  const budget = budgetOption === false ? null : new RetryBudget(clock, budgetOption);
  const basePolicy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...withoutUndefined(options) };

  // Not async: the first attempt's promise is handed on through one `then`,
  // and only an outcome the policy may retry (a listed status or an error)
  // enters the loop in `retrying`. Success costs no async frame.
  function request(request: HttpRequest): Promise<HttpResponse> {
    let policy: RetryPolicy;
    try {
      const perRequest = request.options.retry;
      if (perRequest === false) return inner.request(request);
      policy = perRequest ? { ...basePolicy, ...withoutUndefined(perRequest) } : basePolicy;
      budget?.recordRequest();
    } catch (error) {
      // A throwing getter in the caller's options still ends in a rejection.
      return Promise.reject(error);
    }
    return inner.request(request).then(
      (response) =>
        policy.statuses.includes(response.status) ? retrying(request, policy, { response }) : response,
      (error: unknown) => retrying(request, policy, { error }),
    );
  }

  /** Decides, waits and sends again until an outcome is final; starts from the first attempt's. */
  async function retrying(request: HttpRequest, policy: RetryPolicy, first: Outcome): Promise<HttpResponse> {
    const retries: RetryRecord[] = [];
    let outcome = first;
    let mayHaveReachedServer = mayHaveReached(first);
    for (let retryNumber = 1; ; retryNumber++) {
      const decision = decideRetry(request, outcome, retryNumber, policy, clock.now(), random);
      if (!decision.retry || request.signal?.aborted || (budget !== null && !budget.tryAcquire())) {
        if ('error' in outcome) throw outcome.error;
        return withRetryMeta(outcome.response, retries);
      }
      if ('response' in outcome) await outcome.response.body.cancel('retrying');
      retries.push({ reason: decision.reason, delay: decision.delay });
      await sleep(clock, decision.delay, request, mayHaveReachedServer);
      try {
        const response = await inner.request(request);
        // A status the policy never retries is final: no decision needed.
        if (!policy.statuses.includes(response.status)) return withRetryMeta(response, retries);
        outcome = { response };
      } catch (error) {
        outcome = { error };
      }
      if (mayHaveReached(outcome)) mayHaveReachedServer = true;
    }
  }

  return { request, close: () => inner.close() };
}

/** Whether an attempt may have reached the server: any response, or an error not known to be unsent. */
function mayHaveReached(outcome: Outcome): boolean {
  if ('response' in outcome) return true;
  const error = outcome.error;
  return !HttpClientError.is(error) || error.requestSent;
}

/** The response as it came after no retry; with `meta.retry` after some. */
function withRetryMeta(response: HttpResponse, retries: RetryRecord[]): HttpResponse {
  if (retries.length === 0) return response;
  return withResponseChanges(response, {
    meta: { ...response.meta, retry: { attempts: retries.length + 1, retries } },
  });
}

/** `compose(base, retries())`. */
export function retries(options?: RetryOptions): Layer {
  return (inner) => withRetries(inner, options);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] !== undefined) out[key] = value[key];
  }
  return out;
}

function sleep(clock: Clock, ms: number, request: HttpRequest, requestSent: boolean): Promise<void> {
  const signal = request.signal;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal, { method: request.method, url: request.url, requestSent }));
      return;
    }
    const onAbort = () => {
      timer.cancel();
      reject(abortError(signal as AbortSignal, { method: request.method, url: request.url, requestSent }));
    };
    const timer = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

import type { Clock } from '@x/core';

export interface RetryBudgetOptions {
  /** Retries allowed as a fraction of first attempts in the window. Default 0.2. */
  ratio: number;
  /** Retries always allowed per window, so a quiet client can still retry. Default 10. */
  minRetries: number;
  /** Window length in ms. Default 10 s. */
  window: number;
}

export const DEFAULT_RETRY_BUDGET: Readonly<RetryBudgetOptions> = Object.freeze({
  ratio: 0.2,
  minRetries: 10,
  window: 10_000,
});

/**
 * Caps retries to a fraction of traffic (the Finagle / Envoy "retry budget"
 * idea): when a server is down, each client adds at most `ratio` extra load
 * instead of multiplying it by `maxRetries + 1`. Counts live in two
 * half-windows so old traffic ages out without a timer.
 */
export class RetryBudget {
  readonly #options: RetryBudgetOptions;
  readonly #clock: Clock;
  #bucketStart = 0;
  #previous = { requests: 0, retries: 0 };
  #current = { requests: 0, retries: 0 };

  constructor(clock: Clock, options: Partial<RetryBudgetOptions> = {}) {
    this.#clock = clock;
    this.#options = { ...DEFAULT_RETRY_BUDGET, ...options };
    this.#bucketStart = clock.monotonic();
  }

  #roll(): void {
    const half = this.#options.window / 2;
    const elapsed = this.#clock.monotonic() - this.#bucketStart;
    if (elapsed < half) return;
    this.#previous = elapsed < 2 * half ? this.#current : { requests: 0, retries: 0 };
    this.#current = { requests: 0, retries: 0 };
    this.#bucketStart += elapsed - (elapsed % half);
  }

  /** Records a first attempt. */
  recordRequest(): void {
    this.#roll();
    this.#current.requests++;
  }

  /** Takes one retry from the budget; false when it is spent. */
  tryAcquire(): boolean {
    this.#roll();
    const requests = this.#previous.requests + this.#current.requests;
    const retries = this.#previous.retries + this.#current.retries;
    const allowed = Math.max(this.#options.minRetries, Math.floor(requests * this.#options.ratio));
    if (retries >= allowed) return false;
    this.#current.retries++;
    return true;
  }
}

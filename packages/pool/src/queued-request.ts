import type { HttpClientError, HttpRequest } from '@x/core';
import type { PooledConnection, Waiter } from './origin-pool.js';

/**
 * A request waiting for a connection. A class so that queueing builds no
 * closures per request; its queue deadline is kept as a time and watched by
 * one timer per origin (`pool-queue-timer.ts`), not a timer per request.
 */
export class QueuedRequest implements Waiter {
  readonly request: HttpRequest;
  readonly pipelinable: boolean;
  readonly fresh: boolean;
  /** Monotonic time after which it fails with a queue TIMEOUT. */
  readonly deadline: number;
  /** The queue timeout it was given, for the error message. */
  readonly queueTimeout: number;
  readonly resolve: (connection: PooledConnection) => void;
  readonly reject: (error: HttpClientError) => void;
  readonly #onAbort: (() => void) | null;

  constructor(
    init: Omit<QueuedRequest, 'detach'>,
    /** Called when the request's signal aborts while it waits. */
    onAbort: (waiter: QueuedRequest) => void,
  ) {
    this.request = init.request;
    this.pipelinable = init.pipelinable;
    this.fresh = init.fresh;
    this.deadline = init.deadline;
    this.queueTimeout = init.queueTimeout;
    this.resolve = init.resolve;
    this.reject = init.reject;
    const signal = init.request.signal;
    if (signal === undefined) {
      this.#onAbort = null;
      return;
    }
    const listener = () => onAbort(this);
    this.#onAbort = listener;
    signal.addEventListener('abort', listener, { once: true });
  }

  /** Stops the abort listener. */
  detach(): void {
    if (this.#onAbort !== null) this.request.signal?.removeEventListener('abort', this.#onAbort);
  }
}

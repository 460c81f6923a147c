import { HttpClientError, type Timer } from '@x/core';

/**
 * Writers waiting for a socket's 'drain'. Each wait carries its own stall
 * timer (an upload the server stopped reading must not hang forever); all
 * are released together on 'drain', or rejected when the connection ends.
 */
export class DrainWaiters {
  #waiters: { resolve(): void; reject(error: unknown): void; timer: Timer }[] = [];

  /** Waits for the next drain; `startStallTimer` arms the deadline and is cancelled with the wait. */
  wait(startStallTimer: () => Timer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject, timer: startStallTimer() });
    });
  }

  drained(): void {
    for (const waiter of this.#take()) waiter.resolve();
  }

  fail(error: HttpClientError | null): void {
    const reason =
      error ??
      new HttpClientError('CONNECTION_CLOSED', 'The connection closed while writing', { requestSent: true });
    for (const waiter of this.#take()) waiter.reject(reason);
  }

  #take() {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.timer.cancel();
    return waiters;
  }
}

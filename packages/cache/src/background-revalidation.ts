import { type Clock, type HttpRequest, type HttpTransport, withRequestChanges } from '@x/core';
import { drainBody } from './body-tee.js';
import type { Candidate } from './cache-strategy.js';
import { conditionalHeaders, select304Targets } from './revalidation.js';
import { freshenEntries, type StoreContext, storeWhileReading } from './store-response.js';

/**
 * Stale-while-revalidate's second half (RFC 5861 §3): after a stale
 * response was served, validate it in the background so the next request
 * finds it fresh. At most one validation per stored response runs at a
 * time; failures are dropped (the stored response simply stays stale).
 */
export interface Revalidator {
  /** Starts a validation of `candidate` unless one is running already. */
  start(request: HttpRequest, context: StoreContext, candidate: Candidate): void;
  /** Resolves when every validation started so far has finished. */
  idle(): Promise<void>;
  /** Aborts the validations still running (they are optional work) and waits for them to settle. */
  stop(): Promise<void>;
}

export function createRevalidator(inner: HttpTransport, clock: Clock): Revalidator {
  const running = new Map<string, Promise<void>>();
  const controller = new AbortController();

  const validate = async (request: HttpRequest, context: StoreContext, candidate: Candidate) => {
    // The stored response is complete, so the refresh asks for all of it, whatever range the caller wanted.
    const base = request.headers.clone();
    base.delete('range');
    base.delete('if-range');
    const headers = conditionalHeaders(base, candidate.headers) ?? base;
    // Not the caller's signal: the caller has its answer and may abort freely; close() stops this one.
    const sent = withRequestChanges(request, {
      method: 'GET',
      headers,
      signal: controller.signal,
      body: null,
    });
    const requestTime = clock.now();
    const response = await inner.request(sent);
    const responseTime = clock.now();
    if (response.status === 304) {
      await response.body.cancel();
      const targets = select304Targets([candidate.entry], () => candidate.headers, response.headers);
      const freshened = targets.length === 0 ? [] : [candidate];
      await freshenEntries(context, freshened, response.headers, requestTime, responseTime);
      return;
    }
    const attempt = await storeWhileReading(context, 'GET', base, response, requestTime, responseTime);
    // Reading the body is what stores it; a body that will not be stored is not worth reading.
    if (attempt.stored) await drainBody(attempt.response.body);
    else await attempt.response.body.cancel();
  };

  const settleAll = async () => {
    while (running.size > 0) await Promise.all([...running.values()]);
  };

  return {
    start(request, context, candidate) {
      const id = `${context.key}\u0000${candidate.entry.variant}`;
      if (running.has(id) || controller.signal.aborted) return;
      const task = validate(request, context, candidate)
        .catch(() => undefined)
        .finally(() => running.delete(id));
      running.set(id, task);
    },
    idle: settleAll,
    async stop() {
      controller.abort(new Error('The cache layer was closed'));
      await settleAll();
    },
  };
}

import { createManualClock, createMockTransport, createRequest, HttpClientError } from '@x/core';
import { describe, expect, it } from 'vitest';
import { withRetries } from '../src/index.js';

/** SECURITY.md rules 4 and 14 for the retry layer; each test fails if its protection is removed. */

const prototype = Object.prototype as Record<string, unknown>;

async function withPollutedPrototype(entries: Record<string, unknown>, action: () => Promise<void>) {
  for (const [key, value] of Object.entries(entries)) prototype[key] = value;
  try {
    await action();
  } finally {
    for (const key of Object.keys(entries)) delete prototype[key];
  }
}

/** Runs `promise` to its end, moving the manual clock 5 ms a turn (backoffs here are short, so the budget window never rolls over). */
async function settle<T>(clock: ReturnType<typeof createManualClock>, promise: Promise<T>): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => undefined);
  for (let step = 0; step < 200 && !done; step++) {
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(5);
  }
  return tracked;
}

describe('withRetries and a polluted Object.prototype (rule 4)', () => {
  it('never retries a POST because of an inherited retry policy', async () => {
    await withPollutedPrototype(
      { retry: { methods: ['POST'], maxRetries: 5 }, methods: ['POST'], maxRetries: 5 },
      async () => {
        const clock = createManualClock();
        const inner = createMockTransport(() => {
          throw new HttpClientError('CONNECTION_CLOSED', 'dropped', { requestSent: true });
        });
        const transport = withRetries(inner, { clock, random: () => 0.5, baseDelay: 1, maxDelay: 1 });
        const error = await settle(
          clock,
          transport.request(createRequest({ method: 'POST', url: 'http://h/', body: 'x' })),
        ).catch((caught: unknown) => caught);
        expect(HttpClientError.is(error, 'CONNECTION_CLOSED')).toBe(true);
        expect(inner.requests).toHaveLength(1);
      },
    );
  });

  it('keeps the default retry budget when Object.prototype.budget is false', async () => {
    await withPollutedPrototype({ budget: false }, async () => {
      const clock = createManualClock();
      const inner = createMockTransport(() => ({ status: 503 }));
      const transport = withRetries(inner, { clock, random: () => 0.5, baseDelay: 1 });
      for (let index = 0; index < 20; index++) {
        const response = await settle(clock, transport.request(createRequest({ url: 'http://h/' })));
        await response.body.cancel();
      }
      // 20 first attempts + max(10, 20 × 20%) retries in the window; with no budget it would be 60.
      expect(inner.requests).toHaveLength(30);
    });
  });
});

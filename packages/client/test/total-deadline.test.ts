import { createManualClock, createMockTransport, HttpClientError } from '@x/core';
import { describe, expect, it } from 'vitest';
import { createClient } from '../src/index.js';

async function rejection(promise: Promise<unknown>): Promise<HttpClientError> {
  try {
    await promise;
  } catch (error) {
    if (HttpClientError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** Lets pending promise chains run, so layers reach their timers before the clock moves. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('timeout.total covers the whole call', () => {
  it('ends a retry backoff with TIMEOUT phase total, not ABORTED', async () => {
    const clock = createManualClock();
    const transport = createMockTransport(() => {
      throw new HttpClientError('CONNECTION_CLOSED', 'reset', { requestSent: true });
    });
    const client = createClient({
      transport,
      clock,
      retry: { baseDelay: 60_000, maxDelay: 60_000 },
      timeout: 5_000,
    });
    const pending = rejection(client.get('http://h.test/'));
    await settle();
    expect(transport.requests).toHaveLength(1);
    clock.advance(5_000);
    const error = await pending;
    expect(error.code).toBe('TIMEOUT');
    expect(error.phase).toBe('total');
    expect(transport.requests).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
    await client.close();
  });

  it('fails a body still streaming at the deadline with TIMEOUT', async () => {
    const clock = createManualClock();
    let release: () => void = () => undefined;
    const stalled = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transport = createMockTransport(() => ({
      body: (async function* () {
        yield 'first';
        await stalled;
        yield 'never';
      })(),
    }));
    const client = createClient({ transport, clock, retry: false });
    const response = await client.get('http://h.test/', { timeout: 1_000 });
    const iterator = response.body[Symbol.asyncIterator]();
    expect(new TextDecoder().decode((await iterator.next()).value)).toBe('first');
    const next = rejection(iterator.next());
    await settle();
    clock.advance(1_000);
    // The mock's body source only notices the cancel once its generator moves
    // (core's sourceFromIterable cannot interrupt a pending next()); a socket
    // body fails at once.
    release();
    const error = await next;
    expect(error.code).toBe('TIMEOUT');
    expect(error.phase).toBe('total');
    await client.close();
  });

  it('cancels its timer when the body ends in time, and keeps the caller abort as ABORTED', async () => {
    const clock = createManualClock();
    const transport = createMockTransport(() => ({ body: 'quick' }));
    const client = createClient({ transport, clock, retry: false, timeout: 1_000 });
    const response = await client.get('http://h.test/');
    expect(await response.body.text()).toBe('quick');
    expect(clock.pendingTimers()).toBe(0);

    const controller = new AbortController();
    controller.abort(new Error('mine'));
    const aborted = await rejection(client.get('http://h.test/', { signal: controller.signal }));
    expect(aborted.code).toBe('ABORTED');
    await client.close();
  });
});

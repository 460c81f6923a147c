import {
  type BodySource,
  createManualClock,
  createMockTransport,
  HttpClientError,
  ResponseBody,
} from '@x/core';
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

describe('timeout.total keeps the body’s read mode', () => {
  /** A body that lends views of one reused buffer through readView and copies through read. */
  function lendingBody() {
    const lent = new Uint8Array(4);
    let count = 0;
    const produce = (): Uint8Array | null => {
      if (count === 3) return null;
      lent.fill(65 + count++);
      return lent;
    };
    const source: BodySource = {
      read: async () => {
        const chunk = produce();
        return chunk === null ? null : chunk.slice();
      },
      readView: async () => produce(),
      cancel: () => undefined,
    };
    return { lent, body: new ResponseBody(source) };
  }

  it('reads the inner body through views() when the caller does, so lent buffers pass through', async () => {
    const { lent, body } = lendingBody();
    const client = createClient({ transport: createMockTransport(() => ({ body })), retry: false });
    const response = await client.get('http://h.test/', { timeout: 60_000 });
    const seen: string[] = [];
    for await (const view of response.body.views()) {
      expect(view.buffer).toBe(lent.buffer);
      seen.push(new TextDecoder().decode(view));
    }
    expect(seen).toEqual(['AAAA', 'BBBB', 'CCCC']);
    await client.close();
  });

  it('reads owned chunks when the caller does', async () => {
    const { lent, body } = lendingBody();
    const client = createClient({ transport: createMockTransport(() => ({ body })), retry: false });
    const response = await client.get('http://h.test/', { timeout: 60_000 });
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.buffer !== lent.buffer)).toBe(true);
    expect(chunks.map((chunk) => new TextDecoder().decode(chunk))).toEqual(['AAAA', 'BBBB', 'CCCC']);
    await client.close();
  });

  it('cancelling before any read cancels the inner body', async () => {
    let cancelled: unknown;
    const body = new ResponseBody({
      read: async () => new Uint8Array(1),
      cancel: (reason) => {
        cancelled = reason;
      },
    });
    const client = createClient({ transport: createMockTransport(() => ({ body })), retry: false });
    const response = await client.get('http://h.test/', { timeout: 60_000 });
    await response.body.cancel('stop');
    expect(cancelled).toBe('stop');
    await client.close();
  });
});

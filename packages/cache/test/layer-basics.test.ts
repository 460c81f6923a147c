import { compose, createManualClock, createMockTransport, createRequest, HttpClientError } from '@x/core';
import { describe, expect, it } from 'vitest';
import { cache, createMemoryStore } from '../src/index.js';
import { harnessPerTest, URL_A } from './helpers/origin.js';

const open = harnessPerTest();

describe('storing and serving fresh responses', () => {
  it('serves a max-age response from the cache with an Age header, without asking the origin again', async () => {
    const cache = open((_request, index) => ({
      headers: { 'Cache-Control': 'max-age=60' },
      body: `v${index}`,
    }));
    const first = await cache.fetch();
    expect(first.text).toBe('v1');
    expect(first.response.meta.cache).toMatchObject({ status: 'miss', stored: true });
    cache.clock.advance(10_000);
    const second = await cache.fetch();
    expect(second.text).toBe('v1');
    expect(second.response.meta.cache).toMatchObject({ status: 'hit' });
    expect(second.response.headers.get('age')).toBe('10');
    expect(cache.origin.requests).toHaveLength(1);
  });

  it('goes back to the origin once the response is stale and has no validator', async () => {
    const cache = open((_request, index) => ({
      headers: { 'Cache-Control': 'max-age=60' },
      body: `v${index}`,
    }));
    await cache.fetch();
    cache.clock.advance(61_000);
    const second = await cache.fetch();
    expect(second.text).toBe('v2');
    expect(second.response.meta.cache?.status).toBe('miss');
    expect(cache.seen()).toEqual([
      { method: 'GET', ifNoneMatch: null, ifModifiedSince: null },
      { method: 'GET', ifNoneMatch: null, ifModifiedSince: null },
    ]);
  });

  it('does not store a response the caller abandons, and stores the next one read to its end', async () => {
    const cache = open((_request, index) => ({
      headers: { 'Cache-Control': 'max-age=60' },
      body: ['part one, ', `part two ${index}`],
    }));
    const abandoned = await cache.transport.request(createRequest({ url: URL_A }));
    const iterator = abandoned.body[Symbol.asyncIterator]();
    await iterator.next();
    await abandoned.body.cancel();
    expect(await cache.store.list(JSON.stringify(['shared', 'GET', URL_A]))).toEqual([]);
    expect((await cache.fetch()).text).toBe('part one, part two 2');
    expect((await cache.fetch()).text).toBe('part one, part two 2');
    expect(cache.origin.requests).toHaveLength(2);
  });

  it('never stores a body that failed part-way', async () => {
    const cache = open((_request, index) => ({
      headers: { 'Cache-Control': 'max-age=60' },
      body: (async function* () {
        yield `start ${index}`;
        if (index === 1) throw new Error('connection reset');
      })(),
    }));
    const broken = await cache.transport.request(createRequest({ url: URL_A }));
    await expect(broken.body.text()).rejects.toThrow();
    expect((await cache.fetch()).text).toBe('start 2');
    expect((await cache.fetch()).response.meta.cache?.status).toBe('hit');
  });

  it('works as a Layer through compose()', async () => {
    const origin = createMockTransport(() => ({ headers: { 'Cache-Control': 'max-age=5' }, body: 'x' }));
    const transport = compose(origin, cache({ store: createMemoryStore() }));
    try {
      await (await transport.request(createRequest({ url: URL_A }))).body.text();
      await (await transport.request(createRequest({ url: URL_A }))).body.text();
      expect(origin.requests).toHaveLength(1);
    } finally {
      await transport.close();
    }
    expect(origin.closed).toBe(true);
  });
});

describe('robustness', () => {
  it('a HEAD response freshens the stored GET response it matches (RFC 9111 §4.3.5)', async () => {
    const cache = open((request) =>
      request.method === 'HEAD'
        ? { headers: { 'Cache-Control': 'max-age=600', ETag: '"same"', 'X-From': 'head' } }
        : { headers: { 'Cache-Control': 'max-age=10', ETag: '"same"' }, body: 'body' },
    );
    await cache.fetch();
    cache.clock.advance(20_000);
    const head = await cache.fetch({ method: 'HEAD' });
    expect(head.response.meta.cache?.status).toBe('miss');
    const get = await cache.fetch();
    expect(get.text).toBe('body');
    expect(get.response.meta.cache?.status).toBe('hit');
    expect(get.response.headers.get('x-from')).toBe('head');
    expect(cache.seen().map((seen) => seen.method)).toEqual(['GET', 'HEAD']);
  });

  it('serves a response larger than the entry limit in full without storing it', async () => {
    const big = 'z'.repeat(10_000);
    const cache = open(() => ({ headers: { 'Cache-Control': 'max-age=60' }, body: [big, big] }), {
      store: createMemoryStore({ maxEntryBytes: 4096 }),
    });
    expect((await cache.fetch()).text).toBe(big + big);
    expect((await cache.fetch()).text).toBe(big + big);
    expect(cache.origin.requests).toHaveLength(2);
  });

  it('treats a listed entry whose body is gone as a miss, and as 504 under only-if-cached', async () => {
    // Same start time as the harness clock, which this test never advances.
    const memory = createMemoryStore({ clock: createManualClock() });
    const forgetful = { ...memory, openBody: async () => null };
    const cache = open(
      (_request, index) => ({ headers: { 'Cache-Control': 'max-age=60' }, body: `v${index}` }),
      {
        store: forgetful,
      },
    );
    await cache.fetch();
    const only = await cache.fetch({ headers: { 'Cache-Control': 'only-if-cached' } });
    expect(only.response.status).toBe(504);
    expect(cache.origin.requests).toHaveLength(1);
    const again = await cache.fetch();
    expect(again.text).toBe('v2');
    expect(again.response.meta.cache).toMatchObject({ status: 'miss', reason: 'stored body missing' });
  });

  it('behaves as if nothing were cached when the store fails at everything', async () => {
    const failing = new Error('store down');
    const broken = {
      list: async () => Promise.reject(failing),
      openBody: async () => Promise.reject(failing),
      create: async () => Promise.reject(failing),
      updateHead: async () => Promise.reject(failing),
      delete: async () => Promise.reject(failing),
      close: async () => undefined,
    };
    const cache = open(
      (_request, index) => ({ headers: { 'Cache-Control': 'max-age=60' }, body: `v${index}` }),
      {
        store: broken,
      },
    );
    const first = await cache.fetch();
    expect(first.text).toBe('v1');
    expect(first.response.meta.cache).toMatchObject({ status: 'miss', stored: false });
    expect((await cache.fetch()).text).toBe('v2');
    expect((await cache.fetch({ method: 'POST' })).response.status).toBe(200);
  });

  it("fails a cached body with ABORTED when the caller's signal fires, and refuses an already aborted request", async () => {
    const cache = open(() => ({ headers: { 'Cache-Control': 'max-age=60' }, body: ['one', 'two', 'three'] }));
    await cache.fetch();
    const controller = new AbortController();
    const response = await cache.transport.request(createRequest({ url: URL_A, signal: controller.signal }));
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort(new Error('user left'));
    await expect(iterator.next()).rejects.toSatisfy((error) => HttpClientError.is(error, 'ABORTED'));
    await expect(cache.fetch({ signal: controller.signal })).rejects.toSatisfy((error) =>
      HttpClientError.is(error, 'ABORTED'),
    );
    expect(cache.origin.requests).toHaveLength(1);
  });

  it("never answers the caller's own abort with a stale response", async () => {
    const controller = new AbortController();
    const cache = open((_request, index) => {
      if (index === 1) return { headers: { 'Cache-Control': 'max-age=1, stale-if-error=600' }, body: 'old' };
      controller.abort();
      return { body: 'late' };
    });
    await cache.fetch();
    cache.clock.advance(5_000);
    await expect(cache.fetch({ signal: controller.signal })).rejects.toSatisfy((error) =>
      HttpClientError.is(error, 'ABORTED'),
    );
  });

  it('refuses requests after close with TRANSPORT_CLOSED', async () => {
    const cache = open(() => ({ body: 'x' }));
    await cache.transport.close();
    await expect(cache.fetch()).rejects.toSatisfy((error) => HttpClientError.is(error, 'TRANSPORT_CLOSED'));
    expect(cache.origin.closed).toBe(true);
  });
});

import {
  createMockTransport,
  createRequest,
  createResponse,
  HttpClientError,
  type HttpResponse,
  type MockReply,
} from '@x/core';
import { parseList } from '@x/headers';
import { afterEach, describe, expect, it } from 'vitest';
import { type CacheOptions, type CacheTransport, createMemoryStore, withCache } from '../src/index.js';
import { type GatedOrigin, gate, gatedOrigin, settle } from './helpers/gated-origin.js';

const URL_A = 'http://127.0.0.1:8080/a';
const opened: CacheTransport[] = [];
afterEach(async () => {
  for (const transport of opened.splice(0)) await transport.close();
});

function setUp(
  reply: (index: number) => MockReply,
  options: Partial<CacheOptions> = {},
): GatedOrigin & {
  transport: CacheTransport;
  send(init?: Parameters<typeof createRequest>[0]): Promise<HttpResponse>;
} {
  const gated = gatedOrigin((_request, index) => reply(index));
  const transport = withCache(gated.origin, {
    clock: gated.clock,
    store: createMemoryStore({ clock: gated.clock }),
    ...options,
  });
  opened.push(transport);
  return {
    ...gated,
    transport,
    send: (init) => transport.request(createRequest(init ?? { url: URL_A })),
  };
}

const cacheable = (index: number): MockReply => ({
  headers: { 'Cache-Control': 'max-age=60' },
  body: ['shared ', `body ${index}`],
});

function statusParameters(response: HttpResponse): Map<string, unknown> {
  const parsed = parseList(response.headers.get('cache-status') ?? '');
  if (!parsed.ok) throw new Error('Cache-Status does not parse');
  const last = parsed.value.at(-1);
  if (last === undefined || 'items' in last) throw new Error('no Cache-Status item');
  return new Map(
    [...last.parameters].map(([name, value]) => [name, value instanceof Object ? String(value) : value]),
  );
}

describe('request coalescing', () => {
  it('sends concurrent misses for one URL to the origin once and serves every caller the same body', async () => {
    const cache = setUp(cacheable);
    const pending = [cache.send(), cache.send(), cache.send()];
    await settle();
    cache.head.open();
    const responses = await Promise.all(pending);
    const texts = await Promise.all(responses.map((response) => response.body.text()));
    expect(texts).toEqual(['shared body 1', 'shared body 1', 'shared body 1']);
    expect(cache.origin.requests).toHaveLength(1);
    expect(responses.map((response) => response.meta.cache?.collapsed ?? false)).toEqual([false, true, true]);
    expect(statusParameters(responses[1] as HttpResponse).get('collapsed')).toBe(true);
    expect(statusParameters(responses[1] as HttpResponse).get('fwd')).toBe('uri-miss');
    // The shared body was stored once, read to its end: the next request is a hit.
    const next = await cache.send();
    expect(next.meta.cache?.status).toBe('hit');
    expect(await next.body.text()).toBe('shared body 1');
    expect(cache.origin.requests).toHaveLength(1);
  });

  it('with coalesce: false, every concurrent miss goes to the origin', async () => {
    const cache = setUp(cacheable, { coalesce: false });
    const pending = [cache.send(), cache.send()];
    await settle();
    cache.head.open();
    await Promise.all((await Promise.all(pending)).map((response) => response.body.text()));
    expect(cache.origin.requests).toHaveLength(2);
  });

  it('sends each follower to the origin itself when the response may not be stored', async () => {
    const cache = setUp((index) => ({ headers: { 'Cache-Control': 'no-store' }, body: `private ${index}` }));
    const pending = [cache.send(), cache.send(), cache.send()];
    await settle();
    cache.head.open();
    const texts = await Promise.all((await Promise.all(pending)).map((response) => response.body.text()));
    expect(cache.origin.requests).toHaveLength(3);
    expect(texts[0]).toBe('private 1');
    expect(new Set(texts).size).toBe(3);
  });

  it('sends a follower whose Vary field differs to the origin itself, and shares with one that matches', async () => {
    const cache = setUp((index) => ({
      headers: { 'Cache-Control': 'max-age=60', Vary: 'Accept-Language' },
      body: `variant ${index}`,
    }));
    const as = (language: string) => cache.send({ url: URL_A, headers: { 'Accept-Language': language } });
    const pending = [as('en'), as('en'), as('fr')];
    await settle();
    cache.head.open();
    const texts = await Promise.all((await Promise.all(pending)).map((response) => response.body.text()));
    expect(texts).toEqual(['variant 1', 'variant 1', 'variant 2']);
    expect(cache.origin.requests.map((request) => request.headers.get('accept-language'))).toEqual([
      'en',
      'fr',
    ]);
  });

  it('never fails a follower because the leader aborted while waiting for the head', async () => {
    const cache = setUp(cacheable);
    const controller = new AbortController();
    const leader = cache.send({ url: URL_A, signal: controller.signal });
    const followers = [cache.send(), cache.send()];
    await settle();
    controller.abort(new Error('leader gave up'));
    await expect(leader).rejects.toMatchObject({ code: 'ABORTED' });
    cache.head.open();
    const texts = await Promise.all((await Promise.all(followers)).map((response) => response.body.text()));
    expect(texts).toEqual(['shared body 1', 'shared body 1']);
    expect(cache.origin.requests).toHaveLength(1);
    expect(cache.origin.requests[0]?.signal?.aborted).toBe(false);
  });

  it('never fails a follower because the leader cancelled its body part-way', async () => {
    const rest = gate();
    const cache = setUp((index) => ({
      headers: { 'Cache-Control': 'max-age=60' },
      body: (async function* () {
        yield 'first half, ';
        await rest.promise;
        yield `second half ${index}`;
      })(),
    }));
    const pending = [cache.send(), cache.send()];
    await settle();
    cache.head.open();
    const [leader, follower] = (await Promise.all(pending)) as [HttpResponse, HttpResponse];
    const iterator = leader.body[Symbol.asyncIterator]();
    expect(new TextDecoder().decode((await iterator.next()).value)).toBe('first half, ');
    await leader.body.cancel();
    rest.open();
    expect(await follower.body.text()).toBe('first half, second half 1');
    expect(cache.origin.requests).toHaveLength(1);
    expect((await cache.send()).meta.cache?.status).toBe('hit');
  });

  it("a follower's own abort leaves only itself: the leader and other followers are answered", async () => {
    const cache = setUp(cacheable);
    const controller = new AbortController();
    const leader = cache.send();
    const quitter = cache.send({ url: URL_A, signal: controller.signal });
    const stayer = cache.send();
    await settle();
    controller.abort(new Error('follower gave up'));
    const failure = await quitter.catch((error: unknown) => error);
    expect(HttpClientError.is(failure, 'ABORTED')).toBe(true);
    expect((failure as HttpClientError).requestSent).toBe(false);
    cache.head.open();
    expect(await (await leader).body.text()).toBe('shared body 1');
    expect(await (await stayer).body.text()).toBe('shared body 1');
    expect(cache.origin.requests).toHaveLength(1);
  });

  it('aborts the origin request once every waiting caller has aborted', async () => {
    const cache = setUp(cacheable);
    const first = new AbortController();
    const second = new AbortController();
    const pending = [
      cache.send({ url: URL_A, signal: first.signal }),
      cache.send({ url: URL_A, signal: second.signal }),
    ];
    await cache.received(1);
    await settle();
    first.abort();
    expect(cache.origin.requests[0]?.signal?.aborted).toBe(false);
    second.abort();
    for (const each of pending) await expect(each).rejects.toMatchObject({ code: 'ABORTED' });
    expect(cache.origin.requests[0]?.signal?.aborted).toBe(true);
  });

  it('sends each follower to the origin itself when the leader fails, and gives the leader its error', async () => {
    let calls = 0;
    const cache = setUp(() => {
      calls++;
      if (calls === 1) throw new HttpClientError('CONNECTION_CLOSED', 'origin reset');
      return cacheable(calls);
    });
    const pending = [cache.send(), cache.send(), cache.send()];
    await settle();
    cache.head.open();
    const [leader, ...followers] = await Promise.allSettled(pending);
    expect(leader).toMatchObject({ status: 'rejected', reason: { code: 'CONNECTION_CLOSED' } });
    for (const follower of followers) expect(follower.status).toBe('fulfilled');
    expect(cache.origin.requests).toHaveLength(3);
    for (const follower of followers) {
      if (follower.status === 'fulfilled') await follower.value.body.text();
    }
  });

  it('bounds the followers per key: one past maxFollowers goes to the origin on its own', async () => {
    const cache = setUp(cacheable, { maxFollowers: 1 });
    const pending = [cache.send(), cache.send(), cache.send()];
    await settle();
    cache.head.open();
    const responses = await Promise.all(pending);
    await Promise.all(responses.map((response) => response.body.text()));
    expect(cache.origin.requests).toHaveLength(2);
    expect(responses.map((response) => response.meta.cache?.collapsed ?? false)).toEqual([
      false,
      true,
      false,
    ]);
  });

  it('a follower whose request demands validation (no-cache) does not take the shared response', async () => {
    const cache = setUp(cacheable);
    const pending = [cache.send(), cache.send({ url: URL_A, headers: { 'Cache-Control': 'no-cache' } })];
    await settle();
    cache.head.open();
    const texts = await Promise.all((await Promise.all(pending)).map((response) => response.body.text()));
    expect(texts).toEqual(['shared body 1', 'shared body 2']);
    expect(cache.origin.requests).toHaveLength(2);
  });

  it('cuts off a reader that falls more than coalesceBufferBytes behind, without failing the others', async () => {
    const big = 'x'.repeat(100);
    const cache = setUp(() => ({ headers: { 'Cache-Control': 'max-age=60' }, body: [big, big, big, big] }), {
      coalesceBufferBytes: 250,
    });
    const pending = [cache.send(), cache.send()];
    await settle();
    cache.head.open();
    const [leader, follower] = (await Promise.all(pending)) as [HttpResponse, HttpResponse];
    expect(await leader.body.text()).toBe(big.repeat(4));
    await expect(follower.body.text()).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
      details: { limit: 'coalesceBufferBytes' },
    });
  });

  it('cancels the origin body when the only reader cancels before reading, shared or not', async () => {
    for (const cacheControl of ['max-age=60', 'no-store']) {
      let cancelled = false;
      const origin = createMockTransport((request) =>
        createResponse({
          status: 200,
          headers: { 'Cache-Control': cacheControl },
          url: request.url,
          body: {
            read: async () => new Uint8Array(8),
            cancel: () => {
              cancelled = true;
            },
          },
        }),
      );
      const transport = withCache(origin);
      opened.push(transport);
      const response = await transport.request(createRequest({ url: URL_A }));
      await response.body.cancel();
      expect(cancelled, cacheControl).toBe(true);
    }
  });

  it('an abort while a read is pending fails that read and its trailers, and only that caller', async () => {
    const rest = gate();
    const cache = setUp(() => ({
      headers: { 'Cache-Control': 'max-age=60' },
      body: (async function* () {
        yield 'first, ';
        await rest.promise;
        yield 'second';
      })(),
      trailers: { 'X-Checksum': 'abc' },
    }));
    const controller = new AbortController();
    const pending = [cache.send({ url: URL_A, signal: controller.signal }), cache.send()];
    await settle();
    cache.head.open();
    const [leader, follower] = (await Promise.all(pending)) as [HttpResponse, HttpResponse];
    const iterator = leader.body[Symbol.asyncIterator]();
    await iterator.next();
    const pendingRead = iterator.next();
    controller.abort(new Error('stop reading'));
    await expect(pendingRead).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(leader.trailers).rejects.toMatchObject({ code: 'ABORTED' });
    rest.open();
    expect(await follower.body.text()).toBe('first, second');
    expect((await follower.trailers).get('x-checksum')).toBe('abc');
  });

  it('a lone caller aborting mid-body gets ABORTED, never a short clean end', async () => {
    const cache = setUp(() => ({
      headers: { 'Cache-Control': 'max-age=60' },
      body: (async function* () {
        yield 'first, ';
        await new Promise(() => undefined);
      })(),
    }));
    const controller = new AbortController();
    const pending = cache.send({ url: URL_A, signal: controller.signal });
    await settle();
    cache.head.open();
    const response = await pending;
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    const pendingRead = iterator.next();
    controller.abort(new Error('stop reading'));
    await expect(pendingRead).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(response.trailers).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('one network chunk larger than coalesceBufferBytes cuts off no reader that keeps pace', async () => {
    const big = 'y'.repeat(1000);
    const cache = setUp(() => ({ headers: { 'Cache-Control': 'max-age=60' }, body: [big, big] }), {
      coalesceBufferBytes: 100,
    });
    const pending = [cache.send(), cache.send()];
    await settle();
    cache.head.open();
    const responses = await Promise.all(pending);
    const texts = await Promise.all(responses.map((response) => response.body.text()));
    expect(texts).toEqual([big + big, big + big]);
  });

  it('a follower that accepts stale (max-age=0 response, max-stale request) takes the shared response', async () => {
    const cache = setUp((index) => ({ headers: { 'Cache-Control': 'max-age=0' }, body: `v${index}` }));
    const pending = [cache.send(), cache.send({ url: URL_A, headers: { 'Cache-Control': 'max-stale=60' } })];
    await settle();
    cache.head.open();
    const responses = await Promise.all(pending);
    expect(await Promise.all(responses.map((response) => response.body.text()))).toEqual(['v1', 'v1']);
    expect(cache.origin.requests).toHaveLength(1);
  });

  it('a follower that aborted frees its place under maxFollowers', async () => {
    const cache = setUp(cacheable, { maxFollowers: 1 });
    const controller = new AbortController();
    const leader = cache.send();
    const quitter = cache.send({ url: URL_A, signal: controller.signal });
    await settle();
    controller.abort();
    await expect(quitter).rejects.toMatchObject({ code: 'ABORTED' });
    const replacement = cache.send();
    await settle();
    cache.head.open();
    const responses = await Promise.all([leader, replacement]);
    expect(await Promise.all(responses.map((response) => response.body.text()))).toEqual([
      'shared body 1',
      'shared body 1',
    ]);
    expect(cache.origin.requests).toHaveLength(1);
  });
});

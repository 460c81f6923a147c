import { compose, createMockTransport, createRequest, HttpClientError } from '@x/core';
import { afterEach, describe, expect, it } from 'vitest';
import { cache, createMemoryStore } from '../src/index.js';
import { type Harness, harness, httpDate, URL_A } from './helpers/origin.js';

let current: Harness | undefined;
const open = (...args: Parameters<typeof harness>): Harness => {
  current = harness(...args);
  return current;
};
afterEach(async () => {
  await current?.transport.close();
  current = undefined;
});

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

describe('revalidation', () => {
  it('validates a stale response with If-None-Match and If-Modified-Since and merges the 304', async () => {
    const lastModified = httpDate(Date.UTC(2025, 0, 1));
    const cache = open((_request, index) =>
      index === 1
        ? {
            headers: {
              'Cache-Control': 'max-age=10',
              ETag: '"v1"',
              'Last-Modified': lastModified,
              'X-Version': 'one',
            },
            body: 'stored body',
          }
        : { status: 304, headers: { 'Cache-Control': 'max-age=100', ETag: '"v1"', 'X-Version': 'two' } },
    );
    await cache.fetch();
    cache.clock.advance(20_000);
    const revalidated = await cache.fetch();
    expect(revalidated.response.status).toBe(200);
    expect(revalidated.text).toBe('stored body');
    expect(revalidated.response.meta.cache?.status).toBe('revalidated');
    expect(revalidated.response.headers.get('x-version')).toBe('two');
    expect(revalidated.response.headers.get('age')).toBe('0');
    expect(cache.seen()[1]).toEqual({ method: 'GET', ifNoneMatch: '"v1"', ifModifiedSince: lastModified });
    // The merged Cache-Control (max-age=100) now governs: fresh for another 100 s.
    cache.clock.advance(90_000);
    expect((await cache.fetch()).response.meta.cache?.status).toBe('hit');
    expect(cache.origin.requests).toHaveLength(2);
  });

  it('replaces the stored response when validation returns 200', async () => {
    const cache = open((_request, index) => ({
      headers: { 'Cache-Control': 'max-age=10', ETag: `"v${index}"` },
      body: `body ${index}`,
    }));
    await cache.fetch();
    cache.clock.advance(11_000);
    const second = await cache.fetch();
    expect(second.text).toBe('body 2');
    expect(second.response.meta.cache?.status).toBe('miss');
    expect(cache.seen()[1]?.ifNoneMatch).toBe('"v1"');
    const third = await cache.fetch();
    expect(third.text).toBe('body 2');
    expect(third.response.meta.cache?.status).toBe('hit');
  });

  it('asks again without validators when a 304 matches nothing stored', async () => {
    const cache = open((_request, index) => {
      if (index === 1) return { headers: { 'Cache-Control': 'max-age=10', ETag: '"v1"' }, body: 'old' };
      if (index === 2) return { status: 304, headers: { ETag: '"other"' } };
      return { headers: { 'Cache-Control': 'max-age=10', ETag: '"v3"' }, body: 'new' };
    });
    await cache.fetch();
    cache.clock.advance(11_000);
    const answer = await cache.fetch();
    expect(answer.response.status).toBe(200);
    expect(answer.text).toBe('new');
    expect(cache.seen().map((seen) => seen.ifNoneMatch)).toEqual([null, '"v1"', null]);
  });

  it("passes the caller's own conditional request through and never adds the cache's validators", async () => {
    const cache = open((request, index) => {
      if (index === 1) return { headers: { 'Cache-Control': 'max-age=10', ETag: '"cached"' }, body: 'x' };
      return { status: 304, headers: { ETag: request.headers.get('if-none-match') ?? '' } };
    });
    await cache.fetch();
    cache.clock.advance(11_000);
    const mine = await cache.fetch({ headers: { 'If-None-Match': '"mine"' } });
    expect(mine.response.status).toBe(304);
    expect(cache.seen()[1]).toEqual({ method: 'GET', ifNoneMatch: '"mine"', ifModifiedSince: null });
    // The 304 for "mine" did not freshen the entry whose ETag is "cached".
    const next = await cache.fetch();
    expect(next.response.meta.cache?.status).not.toBe('hit');
  });

  it("answers a caller's If-None-Match from a fresh stored response with 304", async () => {
    const cache = open(() => ({ headers: { 'Cache-Control': 'max-age=60', ETag: 'W/"v1"' }, body: 'x' }));
    await cache.fetch();
    const matching = await cache.fetch({ headers: { 'If-None-Match': '"v1"' } });
    expect(matching.response.status).toBe(304);
    expect(matching.response.headers.get('etag')).toBe('W/"v1"');
    const different = await cache.fetch({ headers: { 'If-None-Match': '"v2"' } });
    expect(different.response.status).toBe(200);
    expect(different.text).toBe('x');
    expect(cache.origin.requests).toHaveLength(1);
  });

  it('revalidates a no-cache response every time, and a must-revalidate one once stale', async () => {
    const cache = open(() => ({ status: 304, headers: { ETag: '"v"' } }));
    const store = cache.store;
    const writer = await store.create(JSON.stringify(['shared', 'GET', URL_A]), '[]', {
      status: 200,
      reason: 'OK',
      httpVersion: '1.1',
      headers: [
        ['Cache-Control', 'max-age=60, no-cache'],
        ['ETag', '"v"'],
        ['Date', httpDate(cache.clock.now())],
      ],
      url: URL_A,
      varyValues: [],
      requestTime: cache.clock.now(),
      responseTime: cache.clock.now(),
      discardAfter: null,
    });
    await writer.write(new TextEncoder().encode('validated'));
    await writer.commit();
    const first = await cache.fetch();
    expect(first.text).toBe('validated');
    expect(first.response.meta.cache?.status).toBe('revalidated');
    expect(cache.seen()[0]?.ifNoneMatch).toBe('"v"');
  });

  it('does not serve a must-revalidate response stale even when the request allows max-stale', async () => {
    const cache = open((_request, index) => ({
      headers: { 'Cache-Control': 'max-age=10, must-revalidate' },
      body: `v${index}`,
    }));
    await cache.fetch();
    cache.clock.advance(20_000);
    const answer = await cache.fetch({ headers: { 'Cache-Control': 'max-stale=3600' } });
    expect(answer.text).toBe('v2');
  });
});

describe('request directives and modes', () => {
  const fiveMinutes = () => ({ headers: { 'Cache-Control': 'max-age=300' }, body: 'x' });

  it('max-stale serves a stale response within the allowance', async () => {
    const cache = open(fiveMinutes);
    await cache.fetch();
    cache.clock.advance(310_000);
    const answer = await cache.fetch({ headers: { 'Cache-Control': 'max-stale=60' } });
    expect(answer.response.meta.cache).toMatchObject({ status: 'stale', staleReason: 'max-stale' });
    const tooStale = await cache.fetch({ headers: { 'Cache-Control': 'max-stale=5' } });
    expect(tooStale.response.meta.cache?.status).toBe('miss');
  });

  it('max-age and min-fresh on the request send a fresh response back to the origin', async () => {
    const cache = open(fiveMinutes);
    await cache.fetch();
    cache.clock.advance(100_000);
    expect(
      (await cache.fetch({ headers: { 'Cache-Control': 'max-age=50' } })).response.meta.cache?.status,
    ).toBe('miss');
    cache.clock.advance(100_000);
    expect(
      (await cache.fetch({ headers: { 'Cache-Control': 'min-fresh=250' } })).response.meta.cache?.status,
    ).toBe('miss');
    expect(
      (await cache.fetch({ headers: { 'Cache-Control': 'min-fresh=10' } })).response.meta.cache?.status,
    ).toBe('hit');
  });

  it('no-cache on the request validates; no-store on the request neither stores nor prevents a hit', async () => {
    const cache = open((_request, index) => ({
      headers: { 'Cache-Control': 'max-age=300' },
      body: `v${index}`,
    }));
    await cache.fetch({ headers: { 'Cache-Control': 'no-store' } });
    expect(await cache.store.list(JSON.stringify(['shared', 'GET', URL_A]))).toEqual([]);
    await cache.fetch();
    expect((await cache.fetch({ headers: { 'Cache-Control': 'no-store' } })).text).toBe('v2');
    expect((await cache.fetch({ headers: { 'Cache-Control': 'no-cache' } })).text).toBe('v3');
    expect((await cache.fetch({ headers: { Pragma: 'no-cache' } })).text).toBe('v4');
    expect(cache.origin.requests).toHaveLength(4);
  });

  it('only-if-cached answers 504 without contacting the origin when nothing fits', async () => {
    const cache = open(fiveMinutes);
    const miss = await cache.fetch({ headers: { 'Cache-Control': 'only-if-cached' } });
    expect(miss.response.status).toBe(504);
    expect(miss.response.meta.cache).toMatchObject({ status: 'miss', reason: 'only-if-cached' });
    expect(cache.origin.requests).toHaveLength(0);
    await cache.fetch();
    const hit = await cache.fetch({ options: { cache: { mode: 'only-if-cached' } } });
    expect(hit.response.status).toBe(200);
    cache.clock.advance(400_000);
    expect((await cache.fetch({ headers: { 'Cache-Control': 'only-if-cached' } })).response.status).toBe(504);
    expect(cache.origin.requests).toHaveLength(1);
  });

  it('modes: no-store bypasses, reload refetches and stores, force-cache serves stale', async () => {
    const cache = open((_request, index) => ({
      headers: { 'Cache-Control': 'max-age=10' },
      body: `v${index}`,
    }));
    await cache.fetch();
    const bypass = await cache.fetch({ options: { cache: { mode: 'no-store' } } });
    expect(bypass.text).toBe('v2');
    expect(bypass.response.meta.cache?.status).toBe('bypass');
    const reload = await cache.fetch({ options: { cache: { mode: 'reload' } } });
    expect(reload.text).toBe('v3');
    cache.clock.advance(60_000);
    const forced = await cache.fetch({ options: { cache: { mode: 'force-cache' } } });
    expect(forced.text).toBe('v3');
    expect(forced.response.meta.cache).toMatchObject({ status: 'stale', staleReason: 'force-cache' });
  });

  it('refuses unknown modes and malformed options with INVALID_REQUEST before anything is sent', async () => {
    const cache = open(fiveMinutes);
    const bad = createRequest({ url: URL_A, options: { cache: { mode: 'sometimes' as 'default' } } });
    await expect(cache.transport.request(bad)).rejects.toSatisfy(
      (error) => HttpClientError.is(error, 'INVALID_REQUEST') && error.requestSent === false,
    );
    expect(cache.origin.requests).toHaveLength(0);
  });

  it('immutable responses are not revalidated on a max-age=0 reload while fresh, but are on no-cache', async () => {
    const cache = open((_request, index) => ({
      headers: { 'Cache-Control': 'max-age=3600, immutable' },
      body: `v${index}`,
    }));
    await cache.fetch();
    expect((await cache.fetch({ headers: { 'Cache-Control': 'max-age=0' } })).text).toBe('v1');
    expect((await cache.fetch({ headers: { 'Cache-Control': 'no-cache' } })).text).toBe('v2');
  });
});

describe('stale-while-revalidate and stale-if-error (RFC 5861)', () => {
  it('serves stale within stale-while-revalidate and revalidates once in the background', async () => {
    const cache = open((_request, index) => ({
      headers: { 'Cache-Control': 'max-age=10, stale-while-revalidate=60', ETag: `"v${index}"` },
      body: `v${index}`,
    }));
    await cache.fetch();
    cache.clock.advance(20_000);
    const [first, second] = await Promise.all([cache.fetch(), cache.fetch()]);
    expect(first.text).toBe('v1');
    expect(second.text).toBe('v1');
    expect(first.response.meta.cache).toMatchObject({
      status: 'stale',
      staleReason: 'stale-while-revalidate',
    });
    await cache.transport.idle();
    expect(cache.origin.requests).toHaveLength(2);
    expect(cache.seen()[1]?.ifNoneMatch).toBe('"v1"');
    const after = await cache.fetch();
    expect(after.text).toBe('v2');
    expect(after.response.meta.cache?.status).toBe('hit');
  });

  it('goes to the origin synchronously once past the stale-while-revalidate window', async () => {
    const cache = open((_request, index) => ({
      headers: { 'Cache-Control': 'max-age=10, stale-while-revalidate=5' },
      body: `v${index}`,
    }));
    await cache.fetch();
    cache.clock.advance(16_000);
    expect((await cache.fetch()).text).toBe('v2');
  });

  it('serves stale on a 5xx or a network error within stale-if-error, and the error after it', async () => {
    const cache = open((_request, index) => {
      if (index === 1) return { headers: { 'Cache-Control': 'max-age=10, stale-if-error=60' }, body: 'good' };
      if (index === 2) return { status: 503, body: 'down' };
      throw new HttpClientError('CONNECT_FAILED', 'refused', { requestSent: false });
    });
    await cache.fetch();
    cache.clock.advance(20_000);
    const onServerError = await cache.fetch();
    expect(onServerError.text).toBe('good');
    expect(onServerError.response.meta.cache).toMatchObject({
      status: 'stale',
      staleReason: 'stale-if-error',
    });
    const onNetworkError = await cache.fetch();
    expect(onNetworkError.text).toBe('good');
    cache.clock.advance(60_000);
    await expect(cache.fetch()).rejects.toSatisfy((error) => HttpClientError.is(error, 'CONNECT_FAILED'));
  });

  it('passes a 5xx through when no stale-if-error allows a stale answer', async () => {
    const cache = open((_request, index) =>
      index === 1
        ? { headers: { 'Cache-Control': 'max-age=10' }, body: 'good' }
        : { status: 500, body: 'bad' },
    );
    await cache.fetch();
    cache.clock.advance(20_000);
    const answer = await cache.fetch();
    expect(answer.response.status).toBe(500);
    expect(answer.text).toBe('bad');
  });
});

describe('Vary', () => {
  it('keeps one response per value of the Vary field and serves each to matching requests', async () => {
    const cache = open((request) => ({
      headers: { 'Cache-Control': 'max-age=60', Vary: 'Accept-Language' },
      body: `in ${request.headers.get('accept-language')}`,
    }));
    expect((await cache.fetch({ headers: { 'Accept-Language': 'en' } })).text).toBe('in en');
    expect((await cache.fetch({ headers: { 'Accept-Language': 'fr' } })).text).toBe('in fr');
    expect((await cache.fetch({ headers: { 'Accept-Language': 'en' } })).text).toBe('in en');
    expect((await cache.fetch({ headers: { 'Accept-Language': 'fr' } })).text).toBe('in fr');
    expect(cache.origin.requests).toHaveLength(2);
  });

  it('never reuses a Vary: * response', async () => {
    const cache = open(() => ({ headers: { 'Cache-Control': 'max-age=60', Vary: '*' }, body: 'x' }));
    await cache.fetch();
    const second = await cache.fetch();
    expect(second.response.meta.cache).toMatchObject({ status: 'miss', stored: false });
    expect(cache.origin.requests).toHaveLength(2);
  });
});

describe('shared and private caches (SECURITY.md rule 30)', () => {
  it('a shared cache stores nothing private, nothing with Set-Cookie, nothing for Authorization without permission', async () => {
    const replies = [
      { 'Cache-Control': 'max-age=60, private' },
      { 'Cache-Control': 'max-age=60', 'Set-Cookie': 'session=abc' },
    ];
    for (const headers of replies) {
      const cache = open(() => ({ headers, body: 'secret' }));
      await cache.fetch();
      await cache.fetch();
      expect(cache.origin.requests).toHaveLength(2);
      await cache.transport.close();
    }
    const authorized = open(() => ({ headers: { 'Cache-Control': 'max-age=60' }, body: 'for alice' }));
    await authorized.fetch({ headers: { Authorization: 'Bearer alice' } });
    const bob = await authorized.fetch({ headers: { Authorization: 'Bearer bob' } });
    expect(bob.response.meta.cache?.status).toBe('miss');
    expect(authorized.origin.requests).toHaveLength(2);
  });

  it('a shared cache stores an Authorization response marked public or s-maxage', async () => {
    const cache = open(() => ({ headers: { 'Cache-Control': 's-maxage=60' }, body: 'public data' }));
    await cache.fetch({ headers: { Authorization: 'Bearer alice' } });
    expect(
      (await cache.fetch({ headers: { Authorization: 'Bearer bob' } })).response.meta.cache?.status,
    ).toBe('hit');
  });

  it('private mode stores private responses per partition and never serves one partition to another', async () => {
    const cache = open((request) => ({
      headers: { 'Cache-Control': 'private, max-age=60', 'Set-Cookie': 'a=b' },
      body: `for ${request.headers.get('authorization')}`,
    }));
    const as = (user: string) => ({
      headers: { Authorization: user },
      options: { cache: { private: true, partitionKey: user } },
    });
    expect((await cache.fetch(as('alice'))).text).toBe('for alice');
    expect((await cache.fetch(as('bob'))).text).toBe('for bob');
    const alice = await cache.fetch(as('alice'));
    expect(alice.text).toBe('for alice');
    expect(alice.response.meta.cache?.status).toBe('hit');
    expect((await cache.fetch({ headers: { Authorization: 'alice' } })).response.meta.cache?.status).toBe(
      'miss',
    );
    expect(cache.origin.requests).toHaveLength(3);
  });

  it('private mode in a shared cache without a partition key is refused', async () => {
    const cache = open(() => ({ body: 'x' }));
    await expect(cache.fetch({ options: { cache: { private: true } } })).rejects.toSatisfy((error) =>
      HttpClientError.is(error, 'INVALID_REQUEST'),
    );
  });

  it('a private cache (shared: false) uses max-age over s-maxage and stores private responses', async () => {
    const cache = open(
      (_request, index) => ({
        headers: { 'Cache-Control': 'private, max-age=100, s-maxage=5' },
        body: `v${index}`,
      }),
      { shared: false },
    );
    await cache.fetch();
    cache.clock.advance(50_000);
    expect((await cache.fetch()).response.meta.cache?.status).toBe('hit');
  });
});

describe('invalidation (RFC 9111 §4.4)', () => {
  it('a successful POST invalidates the target URI and same-origin Location, not other origins', async () => {
    const cache = open((request) => {
      if (request.method === 'POST') {
        return {
          status: 201,
          headers: { Location: '/b', 'Content-Location': 'http://other.example/a' },
        };
      }
      return { headers: { 'Cache-Control': 'max-age=600' }, body: request.url.pathname };
    });
    const b = 'http://127.0.0.1:8080/b';
    await cache.fetch();
    await cache.fetch({ url: b });
    const post = await cache.fetch({ method: 'POST', body: 'new' });
    expect(post.response.meta.cache).toMatchObject({ status: 'bypass' });
    expect((await cache.fetch()).response.meta.cache?.status).toBe('miss');
    expect((await cache.fetch({ url: b })).response.meta.cache?.status).toBe('miss');
  });

  it('an unsafe request that failed invalidates nothing', async () => {
    const cache = open((request) =>
      request.method === 'DELETE'
        ? { status: 500 }
        : { headers: { 'Cache-Control': 'max-age=600' }, body: 'x' },
    );
    await cache.fetch();
    await cache.fetch({ method: 'DELETE' });
    expect((await cache.fetch()).response.meta.cache?.status).toBe('hit');
  });
});

describe('HEAD and Range', () => {
  it('answers HEAD from a stored GET response, with no body', async () => {
    const cache = open(() => ({
      headers: { 'Cache-Control': 'max-age=60', 'Content-Length': '5' },
      body: 'hello',
    }));
    await cache.fetch();
    const head = await cache.fetch({ method: 'HEAD' });
    expect(head.response.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.response.headers.get('content-length')).toBe('5');
    expect(head.response.meta.cache?.status).toBe('hit');
    expect(cache.origin.requests).toHaveLength(1);
  });

  it('does not store a HEAD response as a GET response', async () => {
    const cache = open(() => ({ headers: { 'Cache-Control': 'max-age=60' }, body: 'hello' }));
    await cache.fetch({ method: 'HEAD' });
    expect((await cache.fetch()).text).toBe('hello');
    expect(cache.origin.requests).toHaveLength(2);
  });

  it('serves a byte range of a stored complete response as 206, and 416 past its end', async () => {
    const cache = open(() => ({
      headers: { 'Cache-Control': 'max-age=60', ETag: '"r"', 'Content-Length': '10' },
      body: ['01234', '56789'],
    }));
    await cache.fetch();
    const middle = await cache.fetch({ headers: { Range: 'bytes=3-6' } });
    expect(middle.response.status).toBe(206);
    expect(middle.text).toBe('3456');
    expect(middle.response.headers.get('content-range')).toBe('bytes 3-6/10');
    expect((await cache.fetch({ headers: { Range: 'bytes=-3' } })).text).toBe('789');
    expect((await cache.fetch({ headers: { Range: 'bytes=20-' } })).response.status).toBe(416);
    const mismatch = await cache.fetch({ headers: { Range: 'bytes=0-1', 'If-Range': '"other"' } });
    expect(mismatch.response.status).toBe(200);
    expect(mismatch.text).toBe('0123456789');
    expect(cache.origin.requests).toHaveLength(1);
  });

  it('never stores a 206 from the origin as a complete response', async () => {
    const cache = open(() => ({
      status: 206,
      headers: { 'Cache-Control': 'max-age=60', 'Content-Range': 'bytes 0-1/10' },
      body: '01',
    }));
    await cache.fetch({ headers: { Range: 'bytes=0-1' } });
    const full = await cache.fetch();
    expect(full.response.meta.cache?.status).toBe('miss');
    expect(cache.origin.requests).toHaveLength(2);
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

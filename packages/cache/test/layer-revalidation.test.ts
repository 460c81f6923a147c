import { HttpClientError } from '@x/core';
import { describe, expect, it } from 'vitest';
import { harnessPerTest, httpDate, URL_A } from './helpers/origin.js';

const open = harnessPerTest();

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
      fields: ['Cache-Control', 'max-age=60, no-cache', 'ETag', '"v"', 'Date', httpDate(cache.clock.now())],
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

  it('close() stops a background revalidation the origin never answers', async () => {
    const cache = open((_request, index) =>
      index === 1
        ? { headers: { 'Cache-Control': 'max-age=10, stale-while-revalidate=60' }, body: 'v1' }
        : { delay: 3_600_000, body: 'never' },
    );
    await cache.fetch();
    cache.clock.advance(20_000);
    expect((await cache.fetch()).response.meta.cache).toMatchObject({ status: 'stale', revalidating: true });
    expect(cache.origin.requests).toHaveLength(2);
    await cache.transport.close();
    expect(cache.origin.closed).toBe(true);
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

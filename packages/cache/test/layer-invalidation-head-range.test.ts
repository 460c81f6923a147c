import { describe, expect, it } from 'vitest';
import { harnessPerTest } from './helpers/origin.js';

const open = harnessPerTest();

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

  it('serves the stored body with one Content-Length that is its exact size', async () => {
    const cache = open(() => ({
      // Two Content-Length lines folded into one value by the harness: "5, 5".
      headers: { 'Cache-Control': 'max-age=60', 'Content-Length': '5, 5' },
      body: 'hello',
    }));
    await cache.fetch();
    const hit = await cache.fetch();
    expect(hit.response.meta.cache?.status).toBe('hit');
    expect(hit.response.headers.getAll('content-length')).toEqual(['5']);
    const plain = open(() => ({
      headers: { 'Cache-Control': 'max-age=60', 'Content-Length': '5' },
      body: 'hello',
    }));
    await plain.fetch();
    expect((await plain.fetch()).response.headers.getAll('content-length')).toEqual(['5']);
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

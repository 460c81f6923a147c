import { describe, expect, it } from 'vitest';
import { harnessPerTest, httpDate } from './helpers/origin.js';

const open = harnessPerTest();

describe('freshness sources through the layer (RFC 9111 §4.2)', () => {
  it('Expires: fresh until the date, then back to the origin', async () => {
    const cache = open((_request, index, clock) => ({
      headers: { Expires: httpDate(clock.now() + 30_000) },
      body: `v${index}`,
    }));
    await cache.fetch();
    cache.clock.advance(29_000);
    expect((await cache.fetch()).text).toBe('v1');
    cache.clock.advance(2_000);
    expect((await cache.fetch()).text).toBe('v2');
  });

  it('an invalid Expires means already stale: every request reaches the origin', async () => {
    const cache = open((_request, index) => ({ headers: { Expires: '0' }, body: `v${index}` }));
    await cache.fetch();
    expect((await cache.fetch()).text).toBe('v2');
    expect(cache.origin.requests).toHaveLength(2);
  });

  it('heuristic freshness: 10% of the time since Last-Modified, for a 200 but not a 302', async () => {
    const tenDays = 10 * 24 * 3600 * 1000;
    const cache = open((request, index, clock) => ({
      status: request.url.pathname === '/moved' ? 302 : 200,
      headers: { 'Last-Modified': httpDate(clock.now() - tenDays), Location: '/elsewhere' },
      body: `v${index}`,
    }));
    await cache.fetch();
    cache.clock.advance(23 * 3600 * 1000);
    expect((await cache.fetch()).response.meta.cache?.status).toBe('hit');
    cache.clock.advance(2 * 3600 * 1000);
    expect((await cache.fetch()).response.meta.cache?.status).not.toBe('hit');
    const moved = 'http://127.0.0.1:8080/moved';
    await cache.fetch({ url: moved });
    const again = await cache.fetch({ url: moved });
    expect(again.response.meta.cache).toMatchObject({ status: 'miss', stored: false });
  });

  it('an Age from an upstream cache shortens the freshness left, and the Age served counts it', async () => {
    const cache = open((_request, index) => ({
      headers: { 'Cache-Control': 'max-age=60', Age: '50' },
      body: `v${index}`,
    }));
    await cache.fetch();
    cache.clock.advance(5_000);
    const hit = await cache.fetch();
    expect(hit.response.meta.cache?.status).toBe('hit');
    expect(hit.response.headers.get('age')).toBe('55');
    cache.clock.advance(6_000);
    expect((await cache.fetch()).text).toBe('v2');
  });

  it('a Date in the past (apparent age) makes a response older than it looks', async () => {
    const cache = open((_request, index, clock) => ({
      headers: { 'Cache-Control': 'max-age=60', Date: httpDate(clock.now() - 45_000) },
      body: `v${index}`,
    }));
    await cache.fetch();
    cache.clock.advance(10_000);
    expect((await cache.fetch()).response.headers.get('age')).toBe('55');
    cache.clock.advance(6_000);
    expect((await cache.fetch()).text).toBe('v2');
  });

  it('s-maxage governs a shared cache even when max-age is longer', async () => {
    const cache = open((_request, index) => ({
      headers: { 'Cache-Control': 'max-age=600, s-maxage=10' },
      body: `v${index}`,
    }));
    await cache.fetch();
    cache.clock.advance(11_000);
    expect((await cache.fetch()).text).toBe('v2');
  });
});

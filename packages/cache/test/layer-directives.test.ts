import { createRequest, HttpClientError } from '@x/core';
import { describe, expect, it } from 'vitest';
import { harnessPerTest, URL_A } from './helpers/origin.js';

const open = harnessPerTest();

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

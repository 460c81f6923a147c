import { createMockTransport, createRequest, HttpClientError, type HttpResponse } from '@x/core';
import { type BareItem, parseList, serializeList, Token } from '@x/headers';
import { describe, expect, it } from 'vitest';
import { cacheStatusNameText, cacheStatusText } from '../src/cache-status.js';
import { type CacheMeta, cacheStatusMember, withCache } from '../src/index.js';
import { harnessPerTest } from './helpers/origin.js';

const open = harnessPerTest();

/** Cache-Status parsed back: each member's name and parameters (tokens as strings). */
function members(response: HttpResponse): { name: string; parameters: Record<string, unknown> }[] {
  const value = response.headers.get('cache-status');
  if (value === null) return [];
  const parsed = parseList(value);
  if (!parsed.ok) throw new Error(`Cache-Status does not parse: ${value}`);
  return parsed.value.map((member) => {
    if ('items' in member) throw new Error('inner list in Cache-Status');
    const plain = (bare: BareItem) => (Token.is(bare) ? bare.value : bare);
    return {
      name: String(plain(member.value)),
      parameters: Object.fromEntries([...member.parameters].map(([name, bare]) => [name, plain(bare)])),
    };
  });
}

const ours = (response: HttpResponse) => members(response).at(-1)?.parameters;

describe('Cache-Status (RFC 9211)', () => {
  it('says uri-miss and stored on the first request, hit with the remaining ttl on the next', async () => {
    const cache = open(() => ({ headers: { 'Cache-Control': 'max-age=60' }, body: 'x' }));
    const first = await cache.fetch();
    expect(members(first.response)).toEqual([
      { name: 'x-cache', parameters: { fwd: 'uri-miss', 'fwd-status': 200, ttl: 60, stored: true } },
    ]);
    cache.clock.advance(10_000);
    const second = await cache.fetch();
    expect(members(second.response)).toEqual([{ name: 'x-cache', parameters: { hit: true, ttl: 50 } }]);
  });

  it('says vary-miss when the URI is stored but not for these Vary fields', async () => {
    const cache = open((request) => ({
      headers: { 'Cache-Control': 'max-age=60', Vary: 'Accept-Language' },
      body: String(request.headers.get('accept-language')),
    }));
    await cache.fetch({ headers: { 'Accept-Language': 'en' } });
    const other = await cache.fetch({ headers: { 'Accept-Language': 'fr' } });
    expect(ours(other.response)).toMatchObject({ fwd: 'vary-miss', stored: true });
  });

  it('says fwd=stale with fwd-status=304 for a validated response, fwd=request for a no-cache request', async () => {
    const cache = open((_request, index) =>
      index === 2
        ? { status: 304, headers: { ETag: '"v1"', 'Cache-Control': 'max-age=60' } }
        : { headers: { 'Cache-Control': 'max-age=60', ETag: '"v1"' }, body: 'x' },
    );
    await cache.fetch();
    cache.clock.advance(61_000);
    const validated = await cache.fetch();
    expect(validated.response.meta.cache?.status).toBe('revalidated');
    expect(ours(validated.response)).toEqual({ fwd: 'stale', 'fwd-status': 304, ttl: 60 });
    const reload = await cache.fetch({ headers: { 'Cache-Control': 'no-cache' } });
    expect(ours(reload.response)).toMatchObject({ fwd: 'request' });
  });

  it('says fwd=stale with the origin status when a stale response stands in for a 503', async () => {
    const cache = open((_request, index) =>
      index === 1
        ? { headers: { 'Cache-Control': 'max-age=1, stale-if-error=600' }, body: 'old' }
        : { status: 503, body: 'down' },
    );
    await cache.fetch();
    cache.clock.advance(5_000);
    const stale = await cache.fetch();
    expect(stale.text).toBe('old');
    expect(ours(stale.response)).toEqual({ fwd: 'stale', 'fwd-status': 503, ttl: -4 });
  });

  it('says fwd=method for an unsafe method, fwd=bypass for mode no-store, and no forward for only-if-cached', async () => {
    const cache = open(() => ({ headers: { 'Cache-Control': 'max-age=60' }, body: 'x' }));
    const post = await cache.fetch({ method: 'POST', body: 'data' });
    expect(ours(post.response)).toEqual({ fwd: 'method', 'fwd-status': 200 });
    const skipped = await cache.fetch({ options: { cache: { mode: 'no-store' } } });
    expect(ours(skipped.response)).toEqual({ fwd: 'bypass', 'fwd-status': 200 });
    const only = await cache.fetch({ headers: { 'Cache-Control': 'only-if-cached' } });
    expect(only.response.status).toBe(504);
    expect(ours(only.response)).toEqual({ detail: 'only-if-cached' });
  });

  it('says stored=false when the response may not be stored', async () => {
    const cache = open(() => ({ headers: { 'Cache-Control': 'no-store' }, body: 'x' }));
    expect(ours((await cache.fetch()).response)).toEqual({
      fwd: 'uri-miss',
      'fwd-status': 200,
      stored: false,
    });
  });

  it('writes exactly one member, last, on every kind of response built from the store', async () => {
    const cache = open(() => ({
      headers: { 'Cache-Control': 'max-age=60', ETag: '"v1"', 'Content-Type': 'text/plain' },
      body: 'abcdefghij',
    }));
    await cache.fetch();
    const answers = [
      await cache.fetch(),
      await cache.fetch({ method: 'HEAD' }),
      await cache.fetch({ headers: { Range: 'bytes=0-3' } }),
      await cache.fetch({ headers: { Range: 'bytes=0-1, 5-6' } }),
      await cache.fetch({ headers: { Range: 'bytes=50-60' } }),
      await cache.fetch({ headers: { 'If-None-Match': '"v1"' } }),
    ];
    expect(answers.map(({ response }) => response.status)).toEqual([200, 200, 206, 206, 416, 304]);
    for (const { response } of answers) {
      const lines = response.headers.getAll('cache-status');
      expect(lines).toEqual(['x-cache;hit;ttl=60']);
      expect([...response.headers].at(-1)).toEqual(['Cache-Status', 'x-cache;hit;ttl=60']);
    }
    const off = open(() => ({ headers: { 'Cache-Control': 'max-age=60' }, body: 'x' }), {
      cacheStatus: false,
    });
    await off.fetch();
    expect((await off.fetch()).response.headers.has('cache-status')).toBe(false);
  });

  it('appends its member after the ones upstream caches wrote', async () => {
    const cache = open(() => ({
      headers: { 'Cache-Control': 'max-age=60', 'Cache-Status': 'OriginCache; hit; ttl=1100' },
      body: 'x',
    }));
    const first = await cache.fetch();
    expect(members(first.response).map((member) => member.name)).toEqual(['OriginCache', 'x-cache']);
    const second = await cache.fetch();
    expect(members(second.response)).toEqual([
      { name: 'OriginCache', parameters: { hit: true, ttl: 1100 } },
      { name: 'x-cache', parameters: { hit: true, ttl: 60 } },
    ]);
  });

  it('takes its name from the option (a token, or a string when not a token) and can be turned off', async () => {
    const named = open(() => ({ headers: { 'Cache-Control': 'max-age=60' }, body: 'x' }), {
      cacheStatus: 'edge-1.example',
    });
    expect(members((await named.fetch()).response)[0]?.name).toBe('edge-1.example');
    const spaced = open(() => ({ body: 'x' }), { cacheStatus: 'my cache' });
    const response = (await spaced.fetch()).response;
    expect(response.headers.get('cache-status')).toMatch(/^"my cache";fwd=uri-miss;/);
    const off = open(() => ({ body: 'x' }), { cacheStatus: false });
    const plain = await off.fetch();
    expect(plain.response.headers.has('cache-status')).toBe(false);
    expect(plain.response.meta.cache?.forward).toBe('uri-miss');
  });

  it('refuses a name that is neither a token nor a string when the layer is built', () => {
    const origin = createMockTransport(() => ({ body: 'x' }));
    let failure: unknown;
    try {
      withCache(origin, { cacheStatus: 'caché' });
    } catch (error) {
      failure = error;
    }
    expect(HttpClientError.is(failure, 'INVALID_REQUEST')).toBe(true);
    expect(() => withCache(origin, { cacheStatus: '' })).toThrow(HttpClientError);
  });

  it('never mutates the headers of the response it forwards', async () => {
    const upstream = createMockTransport(() => ({ headers: { 'Cache-Control': 'no-store' }, body: 'x' }));
    const seen: HttpResponse[] = [];
    const spy = {
      async request(request: Parameters<typeof upstream.request>[0]) {
        const response = await upstream.request(request);
        seen.push(response);
        return response;
      },
      close: () => upstream.close(),
    };
    const transport = withCache(spy);
    const response = await transport.request(createRequest({ url: 'http://127.0.0.1/' }));
    await response.body.text();
    expect(response.headers.has('cache-status')).toBe(true);
    expect(seen[0]?.headers.has('cache-status')).toBe(false);
    await transport.close();
  });

  it('builds members as a pure function of the metadata', () => {
    const member = cacheStatusMember(
      new Token('c'),
      { status: 'miss', forward: 'uri-miss', stored: true, collapsed: true, ttl: 9.7 },
      200,
    );
    expect(Object.fromEntries(member.parameters)).toEqual({
      fwd: new Token('uri-miss'),
      'fwd-status': 200,
      ttl: 10,
      stored: true,
      collapsed: true,
    });
  });
});

describe('Cache-Status text written directly', () => {
  it('is exactly what the RFC 9651 serializer makes of the same member', () => {
    const names: BareItem[] = [new Token('x-cache'), 'my cache "one"', new Token('cdn.example:edge/1')];
    const metas: CacheMeta[] = [
      { status: 'hit', age: 3, ttl: 3597 },
      { status: 'hit', age: 0, ttl: 0.4 },
      { status: 'hit', age: 0, ttl: -0.2 },
      { status: 'hit', age: 10, ttl: -12.5 },
      { status: 'hit', age: 1, ttl: Number.POSITIVE_INFINITY },
      { status: 'hit', age: 1 },
      { status: 'hit', age: 1, ttl: 5, collapsed: true },
      { status: 'stale', staleReason: 'stale-while-revalidate', age: 9, ttl: -3, revalidating: true },
      { status: 'revalidated', age: 0, ttl: 0, forwardStatus: 304 },
      { status: 'revalidated', age: 4.2, ttl: -4.2, forwardStatus: 304 },
      { status: 'revalidated', age: 1, ttl: 1e300, forwardStatus: 304 },
      { status: 'revalidated', age: 1, ttl: 5, forwardStatus: 304.5 },
      { status: 'stale', staleReason: 'stale-if-error', age: 9, ttl: -3, forwardStatus: 503 },
      { status: 'stale', staleReason: 'max-stale', age: 9, ttl: -3 },
      { status: 'miss', reason: 'no stored response', forward: 'uri-miss', stored: true, ttl: 3600 },
      { status: 'miss', reason: 'stale', forward: 'stale', stored: false, ttl: -0.4 },
      { status: 'miss', reason: 'x', forward: 'vary-miss', stored: true, collapsed: true, ttl: 9.7 },
      { status: 'miss', reason: 'x', stored: false },
      { status: 'miss', reason: 'only-if-cached' },
      { status: 'miss', reason: 'caller conditional', forward: 'request' },
      { status: 'bypass', reason: 'unsafe method', forward: 'method' },
      { status: 'bypass', reason: 'mode no-store', forward: 'bypass' },
      { status: 'bypass', reason: 'x' },
    ];
    for (const name of names) {
      for (const meta of metas) {
        for (const status of [200, 404, 2_000_000_000_000_000]) {
          const serialized = (() => {
            try {
              return serializeList([cacheStatusMember(name, meta, status)]);
            } catch (error) {
              return error;
            }
          })();
          const direct = (() => {
            try {
              return cacheStatusText(name, cacheStatusNameText(name), meta, status);
            } catch (error) {
              return error;
            }
          })();
          expect(direct, `${JSON.stringify(meta)} ${status}`).toEqual(serialized);
        }
      }
    }
  });
});

import { HttpClientError } from '@x/core';
import { describe, expect, it } from 'vitest';
import { harnessPerTest } from './helpers/origin.js';

const open = harnessPerTest();

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

  it('takes the partition from the layer option, and turns its failure into INVALID_REQUEST', async () => {
    const cache = open(
      (request) => ({
        headers: { 'Cache-Control': 'private, max-age=60' },
        body: `for ${request.headers.get('x-user')}`,
      }),
      {
        partitionKey: (request) => {
          const user = request.headers.get('x-user');
          if (user === 'broken') throw new Error('no session');
          return user ?? undefined;
        },
      },
    );
    const as = (user: string) => ({ headers: { 'X-User': user }, options: { cache: { private: true } } });
    expect((await cache.fetch(as('ann'))).text).toBe('for ann');
    expect((await cache.fetch(as('ben'))).text).toBe('for ben');
    expect((await cache.fetch(as('ann'))).response.meta.cache?.status).toBe('hit');
    await expect(cache.fetch(as('broken'))).rejects.toSatisfy(
      (error) => HttpClientError.is(error, 'INVALID_REQUEST') && error.requestSent === false,
    );
    expect(cache.origin.requests).toHaveLength(2);
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

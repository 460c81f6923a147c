import { createMockTransport, createRequest, type HttpResponse, type RequestInit } from '@x/core';
import { formatHttpDate } from '@x/headers';
import { afterEach, describe, expect, it } from 'vitest';
import { type CacheTransport, withCache } from '../src/index.js';
import { gatedOrigin, settle } from './helpers/gated-origin.js';

/**
 * SECURITY.md rule 30, each part both ways at the layer: a shared cache
 * never crosses users; nothing from unsafe methods, nothing private /
 * no-store / Authorization-bearing without permission, no Set-Cookie;
 * Cache-Control read by its grammar, not by substring. Request coalescing
 * must not become a way around any of it.
 */

const URL_A = 'http://127.0.0.1:8080/a';
const opened: CacheTransport[] = [];
afterEach(async () => {
  for (const transport of opened.splice(0)) await transport.close();
});

/** A cache over an origin answering every request with `fields` (lines kept as given) and a numbered body. */
function cacheWith(fields: [string, string][]) {
  const origin = createMockTransport((_request, { index }) => ({
    headers: [['Date', formatHttpDate(Date.now())], ...fields],
    body: `answer ${index}`,
  }));
  const transport = withCache(origin);
  opened.push(transport);
  const fetch = async (init: Partial<RequestInit> = {}) => {
    const response = await transport.request(createRequest({ url: URL_A, ...init }));
    return { response, text: await response.body.text() };
  };
  return { origin, transport, fetch };
}

async function storedAfterOneFetch(fields: [string, string][]): Promise<boolean> {
  const cache = cacheWith(fields);
  await cache.fetch();
  const second = await cache.fetch();
  return second.response.meta.cache?.status === 'hit' && second.text === 'answer 1';
}

describe('rule 30: Cache-Control is read by its grammar', () => {
  it('stores responses whose other directives only look like private or no-store', async () => {
    const lookalikes: [string, string][][] = [
      [['Cache-Control', 'max-age=60, community="private"']],
      [['Cache-Control', 'max-age=60, x-note="no-store, private"']],
      [['Cache-Control', 'max-age=60, privately, no-stored']],
    ];
    for (const fields of lookalikes)
      expect(await storedAfterOneFetch(fields), JSON.stringify(fields)).toBe(true);
  });

  it('refuses private and no-store however they are spelled: any case, qualified, no spaces, on a second line', async () => {
    const refusals: [string, string][][] = [
      [['Cache-Control', 'MAX-AGE=60, PRIVATE']],
      [['Cache-Control', 'max-age=60, private="Set-Cookie"']],
      [['Cache-Control', 'max-age=60,no-store']],
      [
        ['Cache-Control', 'max-age=60'],
        ['Cache-Control', 'private'],
      ],
      [
        ['Cache-Control', 'max-age=60'],
        ['cache-control', 'No-Store'],
      ],
    ];
    for (const fields of refusals)
      expect(await storedAfterOneFetch(fields), JSON.stringify(fields)).toBe(false);
  });
});

describe('rule 30: nothing from unsafe methods', () => {
  it('a cacheable answer to POST is never stored, while the same answer to GET is', async () => {
    const cache = cacheWith([['Cache-Control', 'public, max-age=60']]);
    await cache.fetch({ method: 'POST', body: 'x' });
    const afterPost = await cache.fetch();
    expect(afterPost.text).toBe('answer 2');
    expect(afterPost.response.meta.cache?.status).toBe('miss');
    const afterGet = await cache.fetch();
    expect(afterGet.text).toBe('answer 2');
    expect(afterGet.response.meta.cache?.status).toBe('hit');
  });
});

describe('rule 30: coalescing never crosses users', () => {
  async function concurrent(
    reply: Record<string, string>,
    first: Partial<RequestInit>,
    second: Partial<RequestInit>,
  ): Promise<{ texts: string[]; originRequests: number; responses: HttpResponse[] }> {
    const gated = gatedOrigin((_request, index) => ({ headers: reply, body: `answer ${index}` }));
    const transport = withCache(gated.origin, { clock: gated.clock });
    opened.push(transport);
    const pending = [first, second].map((init) => transport.request(createRequest({ url: URL_A, ...init })));
    await settle();
    gated.head.open();
    const responses = await Promise.all(pending);
    const texts = await Promise.all(responses.map((response) => response.body.text()));
    return { texts, originRequests: gated.origin.requests.length, responses };
  }

  const alice = { headers: { Authorization: 'Bearer alice' } };
  const bob = { headers: { Authorization: 'Bearer bob' } };

  it("does not hand alice's response to bob unless the origin marked it shareable", async () => {
    const privateAnswer = await concurrent({ 'Cache-Control': 'max-age=60' }, alice, bob);
    expect(privateAnswer.texts).toEqual(['answer 1', 'answer 2']);
    expect(privateAnswer.originRequests).toBe(2);
    const publicAnswer = await concurrent({ 'Cache-Control': 'public, max-age=60' }, alice, bob);
    expect(publicAnswer.texts).toEqual(['answer 1', 'answer 1']);
    expect(publicAnswer.originRequests).toBe(1);
  });

  it('never shares a Set-Cookie response; shares the same response without it', async () => {
    const withCookie = await concurrent({ 'Cache-Control': 'max-age=60', 'Set-Cookie': 'session=1' }, {}, {});
    expect(withCookie.texts).toEqual(['answer 1', 'answer 2']);
    expect(withCookie.responses[1]?.meta.cache?.collapsed).toBeUndefined();
    const withoutCookie = await concurrent({ 'Cache-Control': 'max-age=60' }, {}, {});
    expect(withoutCookie.texts).toEqual(['answer 1', 'answer 1']);
    expect(withoutCookie.responses[1]?.meta.cache?.collapsed).toBe(true);
  });

  it('keeps private partitions apart, and coalesces within one', async () => {
    const as = (user: string) => ({ options: { cache: { private: true, partitionKey: user } } });
    const reply = { 'Cache-Control': 'private, max-age=60' };
    const apart = await concurrent(reply, as('alice'), as('bob'));
    expect(apart.texts).toEqual(['answer 1', 'answer 2']);
    const together = await concurrent(reply, as('alice'), as('alice'));
    expect(together.texts).toEqual(['answer 1', 'answer 1']);
    expect(together.originRequests).toBe(1);
  });
});

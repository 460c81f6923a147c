import { createMockTransport, createRequest, createResponse, HttpClientError } from '@x/core';
import { describe, expect, it } from 'vitest';
import { withCache } from '../src/index.js';

/** SECURITY.md rule 20: buffering caps hold through the cache, on a miss and on a hit. */
describe('withCache and buffering caps', () => {
  const body = 'x'.repeat(100);

  it('a miss keeps the cap of the body below it', async () => {
    const origin = createMockTransport((request) =>
      createResponse({
        status: 200,
        url: request.url,
        headers: { 'Cache-Control': 'max-age=60' },
        body: [body],
        bufferLimit: 10,
      }),
    );
    const cache = withCache(origin, { coalesce: false });
    const response = await cache.request(createRequest({ url: 'http://127.0.0.1/a' }));
    const error = await response.body.bytes().catch((caught: unknown) => caught);
    expect(HttpClientError.is(error, 'LIMIT_EXCEEDED')).toBe(true);
    await cache.close();
  });

  it('a hit served from the store uses the layer’s bufferLimit', async () => {
    const origin = createMockTransport(() => ({ headers: { 'Cache-Control': 'max-age=60' }, body }));
    const cache = withCache(origin, { bufferLimit: 10 });
    const first = await cache.request(createRequest({ url: 'http://127.0.0.1/b' }));
    expect(await first.body.text({ limit: 1000 })).toBe(body);
    const hit = await cache.request(createRequest({ url: 'http://127.0.0.1/b' }));
    expect(hit.meta.cache?.status).toBe('hit');
    const error = await hit.body.bytes().catch((caught: unknown) => caught);
    expect(HttpClientError.is(error, 'LIMIT_EXCEEDED')).toBe(true);
    expect(origin.requests).toHaveLength(1);
    await cache.close();
  });
});

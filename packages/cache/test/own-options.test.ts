import { createMockTransport, createRequest } from '@x/core';
import { afterEach, describe, expect, it } from 'vitest';
import { withCache } from '../src/index.js';

/** SECURITY.md rule 4: layer options are read as own properties only. */
describe('withCache options', () => {
  const proto = Object.prototype as Record<string, unknown>;
  afterEach(() => {
    delete proto.shared;
  });

  it('stays a shared cache when Object.prototype.shared is false: private responses are not stored', async () => {
    proto.shared = false;
    const origin = createMockTransport(() => ({
      headers: { 'Cache-Control': 'private, max-age=60' },
      body: 'alice’s data',
    }));
    const cache = withCache(origin, {});
    for (let i = 0; i < 2; i++) {
      const response = await cache.request(createRequest({ url: 'http://127.0.0.1/me' }));
      await response.body.text();
    }
    expect(origin.requests).toHaveLength(2);
    await cache.close();
  });

  it('a caller who asks for a private cache does get one', async () => {
    const origin = createMockTransport(() => ({
      headers: { 'Cache-Control': 'private, max-age=60' },
      body: 'mine',
    }));
    const cache = withCache(origin, { shared: false });
    for (let i = 0; i < 2; i++) {
      const response = await cache.request(createRequest({ url: 'http://127.0.0.1/me' }));
      await response.body.text();
    }
    expect(origin.requests).toHaveLength(1);
    await cache.close();
  });
});

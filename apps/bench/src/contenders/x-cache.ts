import { createMemoryStore, withCache } from '@x/cache';
import { createPool } from '@x/pool';
import type { Contender } from '../contender.js';
import { readXResponse } from '../read-x-response.js';
import { xRequest } from '../x-request.js';

/**
 * Bare `@x/cache` with its memory store over `@x/pool`, nothing else: the
 * like-for-like comparison with undici-cache (undici's Agent plus its cache
 * interceptor only). x-client adds the rest of the default stack on top.
 */
export const contender: Contender = {
  name: 'x-cache',
  description: '@x/cache withCache(createPool({ connectionsPerOrigin }), { store: createMemoryStore() })',
  supports: (traits) => traits.cache && traits.pipelining === 1,
  async setup(options) {
    const pool = createPool({
      connectionsPerOrigin: options.connections,
      pipelining: 1,
      maxRequestsPerConnection: options.keepAlive ? Number.POSITIVE_INFINITY : 1,
    });
    const transport = withCache(pool, { store: createMemoryStore() });
    return {
      async request(operation) {
        return readXResponse(await transport.request(xRequest(options.origin, operation)), operation);
      },
      close: () => transport.close(),
    };
  },
};

import { createClient } from '@x/client';
import { type Contender, operationUrl } from '../contender.js';
import { readXResponse } from '../read-x-response.js';

/**
 * The full default stack as users get it from `createClient()`: redirects,
 * retries, content decoding and default timeouts over `@x/pool`. Only the
 * pool limits are set from the scenario (without keep-alive, one request per
 * connection, which makes the protocol send `Connection: close`). With the
 * cache scenario it is created with `cache: {}` (the in-memory store).
 */
export const contender: Contender = {
  name: 'x-client',
  description:
    '@x/client createClient({ pool: { connectionsPerOrigin } }), default layers (+ cache: {} for cache-hit)',
  supports: (traits) => traits.pipelining === 1,
  async setup(options) {
    const client = createClient({
      pool: {
        connectionsPerOrigin: options.connections,
        pipelining: 1,
        maxRequestsPerConnection: options.keepAlive ? Number.POSITIVE_INFINITY : 1,
      },
      ...(options.cache ? { cache: {} } : {}),
    });
    return {
      async request(operation) {
        const response = await client.request({
          method: operation.method,
          url: operationUrl(options.origin, operation),
          headers: operation.headers,
          body: operation.body,
        });
        return readXResponse(response, operation);
      },
      close: () => client.close(),
    };
  },
};

import { toFetch } from '@x/client';
import { createPool } from '@x/pool';
import { type Contender, operationUrl } from '../contender.js';
import { fetchSupports, readFetchResponse } from '../read-fetch-response.js';

/**
 * `@x/client`'s `toFetch()` over `@x/pool`: our WHATWG fetch, the
 * counterpart of `undici-fetch`. Same opt-outs (fetch has no trailers API).
 */
export const contender: Contender = {
  name: 'x-fetch',
  description: '@x/client toFetch(createPool({ connectionsPerOrigin: connections }))',
  supports: fetchSupports,
  async setup(options) {
    const pool = createPool({ connectionsPerOrigin: options.connections, pipelining: 1 });
    const fetch = toFetch(pool);
    return {
      async request(operation) {
        const response = await fetch(operationUrl(options.origin, operation), {
          method: operation.method,
          headers: operation.headers,
          body: operation.body,
        });
        return readFetchResponse(response, operation);
      },
      close: () => pool.close(),
    };
  },
};

import { toFetch } from '@x/client';
import { createPool } from '@x/pool';
import { type Contender, operationUrl } from '../contender.js';

/**
 * `@x/client`'s `toFetch()` over `@x/pool`: our WHATWG fetch, the
 * counterpart of `undici-fetch`. Same opt-outs (fetch has no trailers API).
 */
export const contender: Contender = {
  name: 'x-fetch',
  description: '@x/client toFetch(createPool({ connectionsPerOrigin: connections }))',
  supports: (traits) =>
    traits.pipelining === 1 && traits.read !== 'trailers' && traits.keepAlive && !traits.cache,
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
        const status = response.status;
        switch (operation.read) {
          case 'json':
            return { status, bodyBytes: -1, json: await response.json() };
          case 'bytes':
            return { status, bodyBytes: (await response.arrayBuffer()).byteLength };
          default: {
            let bodyBytes = 0;
            if (response.body !== null)
              for await (const chunk of response.body) bodyBytes += chunk.byteLength;
            return { status, bodyBytes };
          }
        }
      },
      close: () => pool.close(),
    };
  },
};

import { Agent, fetch } from 'undici';
import { type Contender, operationUrl } from '../contender.js';

/**
 * undici's WHATWG `fetch()` (the same code as Node's global fetch, from the
 * pinned undici version). Fetch exposes no trailers and no way to force a
 * new connection per request, so it sits those scenarios out.
 */
export const contender: Contender = {
  name: 'undici-fetch',
  description: 'undici.fetch() with an Agent({ connections })',
  supports: (traits) =>
    traits.pipelining === 1 && traits.read !== 'trailers' && traits.keepAlive && !traits.cache,
  async setup(options) {
    const dispatcher = new Agent({ connections: options.connections, pipelining: 1 });
    return {
      async request(operation) {
        const response = await fetch(operationUrl(options.origin, operation), {
          method: operation.method,
          headers: operation.headers,
          body: operation.body,
          dispatcher,
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
      close: () => dispatcher.close(),
    };
  },
};

import { Agent, fetch } from 'undici';
import { type Contender, operationUrl } from '../contender.js';
import { fetchSupports, readFetchResponse } from '../read-fetch-response.js';

/**
 * undici's WHATWG `fetch()` (the same code as Node's global fetch, from the
 * pinned undici version). Fetch exposes no trailers and no way to force a
 * new connection per request, so it sits those scenarios out.
 */
export const contender: Contender = {
  name: 'undici-fetch',
  description: 'undici.fetch() with an Agent({ connections })',
  supports: fetchSupports,
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
        return readFetchResponse(response, operation);
      },
      close: () => dispatcher.close(),
    };
  },
};

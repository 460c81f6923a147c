import { Agent, cacheStores, interceptors, request } from 'undici';
import { type Contender, operationUrl } from '../contender.js';
import { readUndiciResponse, undiciRequestOptions } from '../read-undici-response.js';

/**
 * undici's RFC 9111 cache interceptor with its in-memory store: only in cache
 * scenarios. maxCount is raised from its default of 1,024 entries so the
 * cache-memory scenario's 10,000 entries are all kept, as ours are.
 */
export const contender: Contender = {
  name: 'undici-cache',
  description:
    'undici.request() with Agent.compose(interceptors.cache({ store: MemoryCacheStore({ maxCount: 100_000 }) }))',
  supports: (traits) => traits.cache,
  async setup(options) {
    const agent = new Agent({ connections: options.connections, pipelining: 1 });
    const dispatcher = agent.compose(
      interceptors.cache({ store: new cacheStores.MemoryCacheStore({ maxCount: 100_000 }) }),
    );
    return {
      async request(operation) {
        const response = await request(operationUrl(options.origin, operation), {
          ...undiciRequestOptions(operation, options.keepAlive),
          dispatcher,
        });
        return readUndiciResponse(response, operation);
      },
      close: () => agent.close(),
    };
  },
};

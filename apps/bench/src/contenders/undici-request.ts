import { Agent, request } from 'undici';
import { type Contender, operationUrl } from '../contender.js';
import { readUndiciResponse, undiciRequestOptions } from '../read-undici-response.js';

/**
 * undici's top-level `request()` through a dedicated Agent: the API most
 * undici users call, and the baseline every ratio in the report is against.
 */
export const contender: Contender = {
  name: 'undici-request',
  description: 'undici.request() with an Agent({ connections }), no pipelining',
  // In cache scenarios it is the no-cache baseline: every request goes to the server.
  supports: () => true,
  async setup(options) {
    const dispatcher = new Agent({ connections: options.connections, pipelining: 1 });
    return {
      async request(operation) {
        const response = await request(operationUrl(options.origin, operation), {
          ...undiciRequestOptions(operation, options.keepAlive),
          dispatcher,
        });
        return readUndiciResponse(response, operation);
      },
      close: () => dispatcher.close(),
    };
  },
};

import { Pool } from 'undici';
import type { Contender } from '../contender.js';
import { readUndiciResponse, undiciRequestOptions } from '../read-undici-response.js';

/** `Pool.request()` straight on a Pool: undici without the Agent's per-origin lookup. */
export const contender: Contender = {
  name: 'undici-pool',
  description: 'undici Pool({ connections }).request(), no pipelining',
  supports: (traits) => traits.pipelining === 1 && !traits.cache,
  async setup(options) {
    const pool = new Pool(options.origin, { connections: options.connections, pipelining: 1 });
    return {
      async request(operation) {
        const response = await pool.request({
          path: operation.path,
          ...undiciRequestOptions(operation, options.keepAlive),
        });
        return readUndiciResponse(response, operation);
      },
      close: () => pool.close(),
    };
  },
};

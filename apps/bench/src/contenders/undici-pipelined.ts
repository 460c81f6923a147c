import { Pool } from 'undici';
import type { Contender } from '../contender.js';
import { readUndiciResponse, undiciRequestOptions } from '../read-undici-response.js';

/**
 * undici's Pool with HTTP/1.1 pipelining (RFC 9112 §9.3.2): only listed in
 * scenarios that pipeline, with the scenario's depth.
 */
export const contender: Contender = {
  name: 'undici-pipelined',
  description: 'undici Pool({ connections, pipelining: depth }).request({ blocking: false })',
  supports: (traits) => traits.pipelining > 1 && traits.keepAlive && !traits.cache,
  async setup(options) {
    const pool = new Pool(options.origin, {
      connections: options.connections,
      pipelining: options.pipelining,
    });
    return {
      async request(operation) {
        const response = await pool.request({
          path: operation.path,
          ...undiciRequestOptions(operation, options.keepAlive),
          // undici treats every non-HEAD request as "blocking" (no request is
          // pipelined behind it) unless told otherwise.
          blocking: false,
        });
        return readUndiciResponse(response, operation);
      },
      close: () => pool.close(),
    };
  },
};

import { createPool } from '@x/pool';
import type { Contender } from '../contender.js';
import { readXResponse } from '../read-x-response.js';
import { xRequest } from '../x-request.js';

/**
 * @x/pool with pipelining at the scenario's depth (RFC 9112 §9.3.2). Its
 * default policy pipelines only idempotent requests without a body, which
 * is what the pipelining scenarios send.
 */
export const contender: Contender = {
  name: 'x-pool-pipelined',
  description: '@x/pool createPool({ connectionsPerOrigin: connections, pipelining: depth })',
  supports: (traits) => traits.keepAlive && traits.pipelining > 1 && !traits.cache,
  async setup(options) {
    const pool = createPool({ connectionsPerOrigin: options.connections, pipelining: options.pipelining });
    return {
      async request(operation) {
        return readXResponse(await pool.request(xRequest(options.origin, operation)), operation);
      },
      close: () => pool.close(),
    };
  },
};

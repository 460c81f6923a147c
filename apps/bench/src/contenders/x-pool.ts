import { createPool } from '@x/pool';
import type { Contender } from '../contender.js';
import { readXResponse } from '../read-x-response.js';
import { xRequest } from '../x-request.js';

/**
 * @x/pool over @x/protocol with its defaults (TCP connector), capped at the
 * scenario's connections; no pipelining. Without keep-alive, each connection
 * carries one request (`maxRequestsPerConnection: 1`, which makes the
 * protocol send `Connection: close` on it).
 */
export const contender: Contender = {
  name: 'x-pool',
  description: '@x/pool createPool({ connectionsPerOrigin: connections }), no pipelining',
  supports: (traits) => traits.pipelining === 1 && !traits.cache,
  async setup(options) {
    const pool = createPool({
      connectionsPerOrigin: options.connections,
      pipelining: 1,
      maxRequestsPerConnection: options.keepAlive ? Number.POSITIVE_INFINITY : 1,
    });
    return {
      async request(operation) {
        return readXResponse(await pool.request(xRequest(options.origin, operation)), operation);
      },
      close: () => pool.close(),
    };
  },
};

import { createPool } from '@x/pool';
import type { Contender } from '../contender.js';
import { readXResponse } from '../read-x-response.js';
import { xRequest } from '../x-request.js';

/**
 * `x-pool` reading streamed bodies through `body.views()`: each chunk is a
 * view of a read buffer the connection reuses once the next chunk is asked
 * for (@x/protocol's TCP connector reads with `onread`), so a download
 * allocates nothing per read. Every byte is counted, none kept. Only where
 * the body is streamed; elsewhere it would be `x-pool` again.
 */
export const contender: Contender = {
  name: 'x-pool-views',
  description: '@x/pool createPool({ connectionsPerOrigin: connections }), bodies read with body.views()',
  supports: (traits) =>
    traits.pipelining === 1 && !traits.cache && (traits.read === 'stream' || traits.read === 'trailers'),
  async setup(options) {
    const pool = createPool({
      connectionsPerOrigin: options.connections,
      pipelining: 1,
      maxRequestsPerConnection: options.keepAlive ? Number.POSITIVE_INFINITY : 1,
    });
    return {
      async request(operation) {
        return readXResponse(await pool.request(xRequest(options.origin, operation)), operation, {
          views: true,
        });
      },
      close: () => pool.close(),
    };
  },
};

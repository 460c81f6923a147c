import { createHttp1Transport, tcpConnector } from '@x/protocol';
import type { Contender } from '../contender.js';
import { readXResponse } from '../read-x-response.js';
import { xRequest } from '../x-request.js';

/**
 * @x/protocol's one-shot transport: a new TCP connection per request,
 * closed after the response (it sends `Connection: close`). Until @x/pool
 * exists it has no keep-alive, so it is listed only where that is fair: the
 * scenario where every client opens a new connection per request, and the
 * 1 GiB download, where one connect is lost in the transfer. Anywhere else
 * the comparison would measure TCP handshakes, not the client.
 */
export const contender: Contender = {
  name: 'x-http1',
  description: '@x/protocol createHttp1Transport({ connector: tcpConnector() }), one connection per request',
  supports: (traits) => (!traits.keepAlive || traits.bulk) && traits.pipelining === 1 && !traits.cache,
  async setup(options) {
    const transport = createHttp1Transport({ connector: tcpConnector() });
    return {
      async request(operation) {
        const response = await transport.request(xRequest(options.origin, operation));
        return readXResponse(response, operation);
      },
      close: () => transport.close(),
    };
  },
};

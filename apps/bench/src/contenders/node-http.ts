import { Agent, type IncomingMessage, request } from 'node:http';
import { type Contender, operationUrl } from '../contender.js';
import { readNodeResponse } from '../read-node-response.js';

/** node:http's `request()` with a keep-alive Agent capped at the scenario's connections. */
export const contender: Contender = {
  name: 'node-http',
  description: 'node:http request() with Agent({ keepAlive: true, maxSockets: connections })',
  supports: (traits) => traits.pipelining === 1 && !traits.cache,
  async setup(options) {
    const agent = new Agent({ keepAlive: options.keepAlive, maxSockets: options.connections });
    return {
      async request(operation) {
        const response = await new Promise<IncomingMessage>((resolve, reject) => {
          const headers: Record<string, string> = { ...operation.headers };
          if (operation.body !== null) headers['content-length'] = String(operation.body.byteLength);
          const outgoing = request(operationUrl(options.origin, operation), {
            method: operation.method,
            headers,
            agent,
          });
          outgoing.once('response', resolve);
          outgoing.once('error', reject);
          outgoing.end(operation.body ?? undefined);
        });
        return readNodeResponse(response, operation);
      },
      async close() {
        agent.destroy();
      },
    };
  },
};

import { Agent, type IncomingMessage } from 'node:http';
import got from 'got';
import { type Contender, operationUrl } from '../contender.js';
import { trailersOf } from '../read-node-response.js';

/**
 * got with its defaults except two a benchmark needs: no retries (a failure
 * must show, not be hidden by a second attempt) and non-2xx not thrown.
 * Bodies use got's own APIs: `responseType` for buffers and JSON,
 * `got.stream()` for large and chunked bodies.
 */
export const contender: Contender = {
  name: 'got',
  description: 'got 16 via got.extend({ agent: { http: Agent({ keepAlive }) }, retry: { limit: 0 } })',
  supports: (traits) => traits.pipelining === 1 && !traits.cache,
  async setup(options) {
    const agent = new Agent({ keepAlive: options.keepAlive, maxSockets: options.connections });
    const client = got.extend({ agent: { http: agent }, retry: { limit: 0 }, throwHttpErrors: false });
    return {
      async request(operation) {
        const url = operationUrl(options.origin, operation);
        const init = { method: operation.method, headers: { ...operation.headers } };
        const body = operation.body === null ? {} : { body: operation.body };
        if (operation.read === 'bytes') {
          const response = await client(url, { ...init, ...body, responseType: 'buffer' });
          return { status: response.statusCode, bodyBytes: response.body.length };
        }
        if (operation.read === 'json') {
          const response = await client(url, { ...init, ...body, responseType: 'json' });
          return { status: response.statusCode, bodyBytes: -1, json: response.body };
        }
        const stream = client.stream(url, { ...init, ...body });
        let response: IncomingMessage | undefined;
        stream.once('response', (incoming: IncomingMessage) => {
          response = incoming;
        });
        let bodyBytes = 0;
        for await (const chunk of stream) bodyBytes += (chunk as Buffer).length;
        const status = response?.statusCode ?? 0;
        if (operation.read === 'trailers' && response !== undefined) {
          return { status, bodyBytes, trailers: trailersOf(response) };
        }
        return { status, bodyBytes };
      },
      async close() {
        agent.destroy();
      },
    };
  },
};

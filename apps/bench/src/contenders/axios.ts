import { Agent } from 'node:http';
import type { Readable } from 'node:stream';
import axios from 'axios';
import { type Contender, operationUrl } from '../contender.js';

/**
 * axios's Node adapter with a keep-alive Agent. `proxy: false` because axios
 * otherwise reads proxy variables from the environment and could send the
 * benchmark's loopback traffic elsewhere. axios gives no access to trailers,
 * so it sits the trailers scenario out.
 */
export const contender: Contender = {
  name: 'axios',
  description: 'axios 1 via axios.create({ httpAgent: Agent({ keepAlive }), proxy: false })',
  supports: (traits) => traits.pipelining === 1 && traits.read !== 'trailers' && !traits.cache,
  async setup(options) {
    const agent = new Agent({ keepAlive: options.keepAlive, maxSockets: options.connections });
    const client = axios.create({ httpAgent: agent, proxy: false, validateStatus: () => true });
    return {
      async request(operation) {
        const config = {
          url: operationUrl(options.origin, operation).href,
          method: operation.method,
          headers: { ...operation.headers },
          data: operation.body === null ? undefined : Buffer.from(operation.body),
        };
        if (operation.read === 'json') {
          const response = await client.request<unknown>({ ...config, responseType: 'json' });
          return { status: response.status, bodyBytes: -1, json: response.data };
        }
        if (operation.read === 'bytes') {
          const response = await client.request<ArrayBuffer>({ ...config, responseType: 'arraybuffer' });
          return { status: response.status, bodyBytes: response.data.byteLength };
        }
        const response = await client.request<Readable>({ ...config, responseType: 'stream' });
        let bodyBytes = 0;
        for await (const chunk of response.data) bodyBytes += (chunk as Buffer).length;
        return { status: response.status, bodyBytes };
      },
      async close() {
        agent.destroy();
      },
    };
  },
};

import type { HttpOperation } from '../contender.js';
import { type HttpScenario, requestPlan } from '../scenario.js';
import { chunkedResponse } from '../servers/stream-responses.js';

const BODY_BYTES = 256 * 1024;
const CHUNK_BYTES = 4 * 1024;

export const chunkedTrailers: HttpScenario = {
  kind: 'http',
  name: 'chunked-trailers',
  title: 'GET a 256 KiB chunked body (64 chunks of 4 KiB) with 2 trailer fields, 1 in flight',
  notes:
    'Chunked decoding (RFC 9112 §7.1) and trailers (§7.1.2); every response’s trailers are checked. ' +
    'fetch and axios expose no trailers, so they are not listed.',
  server: 'stream',
  traits: { pipelining: 1, keepAlive: true, read: 'trailers', cache: false, bulk: false },
  connections: 1,
  inFlight: 1,
  unit: 'requests',
  isolate: false,
  baseline: 'undici-request',
  workload() {
    const response = chunkedResponse(BODY_BYTES, CHUNK_BYTES);
    const operation: HttpOperation = {
      method: 'GET',
      path: `/chunked?bytes=${BODY_BYTES}&chunk=${CHUNK_BYTES}`,
      headers: {},
      body: null,
      read: 'trailers',
      responseBytes: response.bytes.length,
    };
    return { operation, expected: { status: 200, bodyBytes: BODY_BYTES, trailers: response.trailers } };
  },
  plan: requestPlan,
};

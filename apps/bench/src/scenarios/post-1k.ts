import { type HttpScenario, requestPlan } from '../scenario.js';
import { cannedWorkload } from './canned-workload.js';

const BODY = new Uint8Array(1024).fill(120);

export const post1k: HttpScenario = {
  kind: 'http',
  name: 'post-1k',
  title: 'POST with a 1 KiB body, 1 in flight',
  notes: 'Request body framing (Content-Length) and writing; the response is a 3-byte body.',
  server: 'canned',
  traits: { pipelining: 1, keepAlive: true, read: 'bytes', cache: false, bulk: false },
  connections: 1,
  inFlight: 1,
  unit: 'requests',
  isolate: false,
  baseline: 'undici-request',
  workload: () =>
    cannedWorkload('/upload', 'bytes', {
      method: 'POST',
      body: BODY,
      headers: { 'content-type': 'application/octet-stream' },
    }),
  plan: requestPlan,
};

import { type HttpScenario, requestPlan } from '../scenario.js';
import { cannedWorkload } from './canned-workload.js';

export const smallGet: HttpScenario = {
  kind: 'http',
  name: 'small-get',
  title: 'Small GET, 1 in flight, 1 keep-alive connection',
  notes: 'Per-request overhead: a 12-byte body, buffered with each client’s usual API.',
  server: 'canned',
  traits: { pipelining: 1, keepAlive: true, read: 'bytes', cache: false, bulk: false },
  connections: 1,
  inFlight: 1,
  unit: 'requests',
  isolate: false,
  baseline: 'undici-request',
  workload: () => cannedWorkload('/small', 'bytes'),
  plan: requestPlan,
};

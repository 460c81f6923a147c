import { type HttpScenario, requestPlan } from '../scenario.js';
import { cannedWorkload } from './canned-workload.js';

export const jsonGet: HttpScenario = {
  kind: 'http',
  name: 'json-get',
  title: 'GET a 1 KiB JSON document, decoded, 1 in flight',
  notes: 'Each client’s own JSON API; every decoded document is compared with the one the server sent.',
  server: 'canned',
  traits: { pipelining: 1, keepAlive: true, read: 'json', cache: false, bulk: false },
  connections: 1,
  inFlight: 1,
  unit: 'requests',
  isolate: false,
  baseline: 'undici-request',
  workload: () => cannedWorkload('/json', 'json'),
  plan: requestPlan,
};

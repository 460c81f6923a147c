import { type HttpScenario, requestPlan } from '../scenario.js';
import { cannedWorkload } from './canned-workload.js';

export const cacheHit: HttpScenario = {
  kind: 'http',
  name: 'cache-hit',
  title: 'GET a fresh cacheable response (max-age=3600): cache hits',
  notes:
    'Clients with an RFC 9111 cache answer from memory after the first request; undici-request (no cache) ' +
    'and the raw-socket ceiling show what the network round trip costs.',
  server: 'canned',
  traits: { pipelining: 1, keepAlive: true, read: 'bytes', cache: true, bulk: false },
  connections: 1,
  inFlight: 1,
  unit: 'requests',
  isolate: false,
  baseline: 'undici-request',
  workload: () => cannedWorkload('/cached', 'bytes'),
  plan: requestPlan,
};

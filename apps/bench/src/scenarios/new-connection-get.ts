import { type HttpScenario, requestPlan } from '../scenario.js';
import { cannedWorkload } from './canned-workload.js';

export const newConnectionGet: HttpScenario = {
  kind: 'http',
  name: 'new-connection-get',
  title: 'Small GET on a new connection each time (Connection: close), 1 in flight',
  notes:
    'TCP connect + one exchange + close per request. The only fair place for a transport without a pool ' +
    '(x-http1 opens one connection per request until @x/pool exists).',
  server: 'canned',
  traits: { pipelining: 1, keepAlive: false, read: 'bytes', cache: false, bulk: false },
  connections: 1,
  inFlight: 1,
  unit: 'requests',
  isolate: false,
  baseline: 'undici-request',
  workload: () => cannedWorkload('/small', 'bytes'),
  plan: requestPlan,
};

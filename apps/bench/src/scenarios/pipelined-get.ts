import { type HttpScenario, requestPlan } from '../scenario.js';
import { cannedWorkload } from './canned-workload.js';

export const pipelinedGet: HttpScenario = {
  kind: 'http',
  name: 'pipelined-get',
  title: 'Small GET, pipelining depth 10 on 1 connection',
  notes:
    'Only clients that pipeline (RFC 9112 §9.3.2) run at depth 10; undici-request is the non-pipelined ' +
    'baseline with the same 10 requests queued for the one connection.',
  server: 'canned',
  traits: { pipelining: 10, keepAlive: true, read: 'bytes', cache: false, bulk: false },
  connections: 1,
  inFlight: 10,
  unit: 'requests',
  isolate: false,
  baseline: 'undici-request',
  workload: () => cannedWorkload('/small', 'bytes'),
  plan: requestPlan,
};

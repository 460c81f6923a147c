import { type HttpScenario, requestPlan } from '../scenario.js';
import { cannedWorkload } from './canned-workload.js';

export const concurrentGet: HttpScenario = {
  kind: 'http',
  name: 'concurrent-get',
  title: 'Small GET, 50 in flight over 10 keep-alive connections',
  notes: 'Queueing and connection reuse: 50 requests wait for 10 connections, no pipelining.',
  server: 'canned',
  traits: { pipelining: 1, keepAlive: true, read: 'bytes', cache: false, bulk: false },
  connections: 10,
  inFlight: 50,
  unit: 'requests',
  isolate: false,
  baseline: 'undici-request',
  workload: () => cannedWorkload('/small', 'bytes'),
  plan: requestPlan,
};

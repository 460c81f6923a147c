import { type HttpScenario, requestPlan } from '../scenario.js';
import { cannedWorkload } from './canned-workload.js';

export const cacheRevalidate: HttpScenario = {
  kind: 'http',
  name: 'cache-revalidate',
  title: 'GET a stored but stale response (max-age=0, ETag): every request revalidated with a 304',
  notes:
    'After the first request each one is a stale hit: the cache sends If-None-Match, the canned server answers ' +
    '304 Not Modified (no body), and the cache updates its stored head (RFC 9111 §4.3.4) and serves the stored ' +
    'body. undici-request (no cache) fetches the full 200 each time; the ceiling measures that round trip. ' +
    'Counted at the server over 10 requests: @x/cache sent 1 full fetch then 9 conditional ones (9 × 304); ' +
    "undici 8.12's cache interceptor sent 5 full fetches and 5 conditional ones (5 × 304), " +
    'so its rate mixes both round trips.',
  server: 'canned',
  traits: { pipelining: 1, keepAlive: true, read: 'bytes', cache: true, bulk: false },
  connections: 1,
  inFlight: 1,
  unit: 'requests',
  isolate: false,
  baseline: 'undici-request',
  workload: () => cannedWorkload('/revalidate', 'bytes'),
  plan: requestPlan,
};

import type { HttpScenario, Mode, Plan, Workload } from '../scenario.js';
import { cannedWorkload } from './canned-workload.js';

/** Entries stored in the full run; quick mode keeps the harness working with a few hundred. */
export const CACHE_MEMORY_ENTRIES = 10_000;
const QUICK_ENTRIES = 200;

export const cacheMemory: HttpScenario = {
  kind: 'http',
  name: 'cache-memory',
  title: `Fill the memory store with ${CACHE_MEMORY_ENTRIES.toLocaleString('en-US')} distinct small entries: RSS growth`,
  notes:
    'Each contender runs in its own process (plain node running a bundle of the measuring loop and that one ' +
    'contender; idle RSS is Node, those modules and the set-up client); every request goes to its own URL ' +
    '(/cached?entry=<n>, a fresh 12-byte body with six response fields), so each one is a miss that stores a ' +
    'new entry. RSS growth is the peak over the RSS before the turn, so it covers the entries plus the garbage ' +
    'made while filling them; ' +
    'divide by the entry count for bytes per entry. Clients without a cache store nothing: their growth is ' +
    'the cost of the requests alone. undici-cache raises its MemoryCacheStore maxCount (default 1,024) so ' +
    'no entry is evicted.',
  server: 'canned',
  traits: { pipelining: 1, keepAlive: true, read: 'bytes', cache: true, bulk: false },
  connections: 1,
  inFlight: 1,
  unit: 'requests',
  isolate: true,
  baseline: 'undici-request',
  workload(): Workload {
    const workload = cannedWorkload('/cached', 'bytes');
    return { ...workload, operation: { ...workload.operation, distinctUrls: true } };
  },
  plan(mode: Mode): Plan {
    // One turn per round that ends after exactly the entry count (the duration is only an upper bound);
    // no warm-up, which would store entries of its own before the RSS baseline is taken.
    return mode === 'full'
      ? { rounds: 3, warmupMs: 0, durationMs: 60_000, maxOperations: CACHE_MEMORY_ENTRIES }
      : { rounds: 1, warmupMs: 0, durationMs: 20_000, maxOperations: QUICK_ENTRIES };
  },
};

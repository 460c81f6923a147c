import type { SetupOptions } from './contender.js';
import type { Sample } from './measure.js';
import type { HttpScenario } from './scenario.js';

/** How long a turn may overrun its duration before it is declared hung. */
export const HANG_TIMEOUT_MS = 30_000;
/** How long a session (or a forked contender) may take to close. */
export const CLOSE_TIMEOUT_MS = 5_000;

export function setupOptions(scenario: HttpScenario, origin: URL): SetupOptions {
  return {
    origin,
    connections: scenario.connections,
    pipelining: scenario.traits.pipelining,
    keepAlive: scenario.traits.keepAlive,
    cache: scenario.traits.cache,
  };
}

/** Round r starts with contender r mod n: each one leads (and follows each other) equally often. */
export function rotation(count: number, round: number): number[] {
  return Array.from({ length: count }, (_, offset) => (round + offset) % count);
}

export function progress(scenario: string, round: number, name: string, sample: Sample): string {
  const rate = (sample.completed / sample.elapsedMs) * 1000;
  const status = sample.error === undefined ? '' : `  ERROR ${sample.error}`;
  return `  ${scenario} round ${round + 1} ${name}: ${sample.completed} in ${sample.elapsedMs.toFixed(0)} ms (${rate.toFixed(0)}/s)${status}`;
}

export async function withTimeout(promise: Promise<void>, ms: number): Promise<undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not close within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([promise, timeout]);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

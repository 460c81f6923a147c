import { type Stat, stat } from './measure.js';
import type { ContenderOutcome, ScenarioOutcome } from './outcome.js';
import type { RunResult } from './run.js';

/** The full default stack and the bare pool it is built on. */
export const STACK = 'x-client';
export const POOL = 'x-pool';

/**
 * The budget for the default layers: the stack may be at most 15 %
 * slower than the bare pool, i.e. keep at least this share of its throughput.
 */
export const STACK_THROUGHPUT_FLOOR = 0.85;

export interface StackCost {
  readonly scenario: string;
  /** Rounds in which both ran a turn. */
  readonly pairs: number;
  /** Per round: the stack's throughput over the pool's in the same round (1 = as fast). */
  readonly throughput: Stat;
  /** Per round: the stack's CPU per operation over the pool's (1 = as cheap). */
  readonly cpu: Stat | null;
}

/**
 * What the default layers cost, scenario by scenario: `x-client` against
 * `x-pool`, paired round by round. Contenders take turns within a round, so
 * the two turns of a pair ran seconds apart under the same machine load,
 * while the two contenders' medians may come from different moments. On a
 * shared machine, where the load drifts by tens of percent within a run
 * (another process's tests, the kernel's scheduling), the median of the
 * paired ratios is the steadier estimate of the layers' cost.
 */
export function stackCosts(result: RunResult): StackCost[] {
  const costs: StackCost[] = [];
  for (const scenario of result.scenarios) {
    if (scenario.kind !== 'http' || scenario.error !== undefined) continue;
    const stack = scenario.contenders.find((outcome) => outcome.name === STACK);
    const pool = scenario.contenders.find((outcome) => outcome.name === POOL);
    if (stack === undefined || pool === undefined) continue;
    if (stack.error !== undefined || pool.error !== undefined) continue;
    const cost = pairedCost(scenario, stack, pool);
    if (cost !== null) costs.push(cost);
  }
  return costs;
}

function pairedCost(
  scenario: ScenarioOutcome,
  stack: ContenderOutcome,
  pool: ContenderOutcome,
): StackCost | null {
  const throughput: number[] = [];
  const cpu: number[] = [];
  const pairs = Math.min(stack.samples.length, pool.samples.length);
  const amount = (sample: ContenderOutcome['samples'][number]) =>
    scenario.unit === 'bytes' ? sample.bodyBytes : sample.completed;
  for (let round = 0; round < pairs; round++) {
    const ours = stack.samples[round];
    const bare = pool.samples[round];
    if (ours === undefined || bare === undefined) continue;
    if (ours.elapsedMs <= 0 || bare.elapsedMs <= 0 || amount(ours) === 0 || amount(bare) === 0) continue;
    throughput.push(amount(ours) / ours.elapsedMs / (amount(bare) / bare.elapsedMs));
    if (ours.cpuMicros > 0 && bare.cpuMicros > 0)
      cpu.push(ours.cpuMicros / amount(ours) / (bare.cpuMicros / amount(bare)));
  }
  const throughputStat = stat(throughput);
  if (throughputStat === null) return null;
  return { scenario: scenario.name, pairs: throughput.length, throughput: throughputStat, cpu: stat(cpu) };
}

/** The stack-cost table: one row per scenario where both ran. */
export function stackCostRows(result: RunResult): { header: string[]; rows: string[][] } {
  const header = [
    'scenario',
    'rounds',
    `${STACK} ÷ ${POOL} throughput, median (min–max)`,
    'CPU/op ratio, median (min–max)',
    `≥ ${STACK_THROUGHPUT_FLOOR}`,
  ];
  const range = (value: Stat) =>
    `${value.median.toFixed(2)} (${value.min.toFixed(2)}–${value.max.toFixed(2)})`;
  const rows = stackCosts(result).map((cost) => [
    cost.scenario,
    String(cost.pairs),
    range(cost.throughput),
    cost.cpu === null ? '—' : range(cost.cpu),
    cost.throughput.median >= STACK_THROUGHPUT_FLOOR ? 'yes' : 'no',
  ]);
  return { header, rows };
}

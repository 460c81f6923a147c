/**
 * The arithmetic of the interleaved stack-cost run: per-round ratios of the
 * stack against the bare pool, summarised by their median and quartiles.
 * Pure, so it is tested without a network.
 */

/** One turn of one contender: operations completed, wall time, CPU of this process. */
export interface Turn {
  readonly operations: number;
  readonly elapsedMs: number;
  readonly cpuMicros: number;
}

/** One round: the stack's turn and the pool's, run back to back. */
export interface Round {
  readonly stack: Turn;
  readonly pool: Turn;
}

export interface Spread {
  readonly median: number;
  /** 25th and 75th percentiles (linear interpolation). */
  readonly low: number;
  readonly high: number;
}

export interface InterleavedCost {
  readonly rounds: number;
  /** Stack throughput ÷ pool throughput, per round (1 = as fast; the budget wants ≥ 0.85). */
  readonly throughput: Spread;
  /** Stack CPU per operation ÷ pool CPU per operation, per round (1 = as cheap). */
  readonly cpu: Spread;
  /** Microseconds of CPU per operation the stack adds, per round (stack minus pool). */
  readonly addedCpuMicros: Spread;
}

/** The p-th quantile (0..1) of values, linearly interpolated between the two nearest ranks. */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('quantile of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const lower = sorted[below] as number;
  return lower + ((sorted[above] as number) - lower) * (position - below);
}

export function spread(values: readonly number[]): Spread {
  return { median: quantile(values, 0.5), low: quantile(values, 0.25), high: quantile(values, 0.75) };
}

const perSecond = (turn: Turn) => turn.operations / turn.elapsedMs;
const cpuPerOperation = (turn: Turn) => turn.cpuMicros / turn.operations;

/** Summarises the rounds of one scenario; rounds where either turn did nothing are left out. */
export function interleavedCost(rounds: readonly Round[]): InterleavedCost | null {
  const usable = rounds.filter(
    (round) =>
      round.stack.operations > 0 &&
      round.pool.operations > 0 &&
      round.stack.elapsedMs > 0 &&
      round.pool.elapsedMs > 0 &&
      round.pool.cpuMicros > 0,
  );
  if (usable.length === 0) return null;
  return {
    rounds: usable.length,
    throughput: spread(usable.map((round) => perSecond(round.stack) / perSecond(round.pool))),
    cpu: spread(usable.map((round) => cpuPerOperation(round.stack) / cpuPerOperation(round.pool))),
    addedCpuMicros: spread(usable.map((round) => cpuPerOperation(round.stack) - cpuPerOperation(round.pool))),
  };
}

/**
 * Which contender goes first in a round: alternating, so a drift in the
 * machine's load during a round (or the warm state one turn leaves to the
 * next) favours each side equally often.
 */
export function stackGoesFirst(round: number): boolean {
  return round % 2 === 0;
}

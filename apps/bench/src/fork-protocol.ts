import type { SetupOptions } from './contender.js';
import type { Sample } from './measure.js';
import type { Workload } from './scenario.js';

/**
 * The conversation between the harness and a forked contender process: one
 * process per contender for a whole request scenario (JMH-style forks), so
 * its JIT sees one client's code only, as in an application that loads one
 * HTTP client. The harness sends one command at a time and waits for its
 * answer; `id` pairs them. Plain data only: it crosses IPC (`advanced`
 * serialisation), so the origin travels as a string.
 */
export type ForkCommand = ForkOpen | ForkWarmUp | ForkTurn | ForkClose;

/** Load the contender and set up its session for the scenario. */
export interface ForkOpen {
  readonly type: 'fork-open';
  readonly id: number;
  readonly contender: string;
  readonly origin: string;
  readonly setup: Omit<SetupOptions, 'origin'>;
  readonly workload: Workload;
  readonly inFlight: number;
  readonly hangTimeoutMs: number;
}

/**
 * Unmeasured requests until both `minMs` and `minOperations` are reached,
 * or `maxMs` has passed: a slow client gets as many requests to warm its
 * JIT as a fast one, within a bound.
 */
export interface ForkWarmUp {
  readonly type: 'fork-warm-up';
  readonly id: number;
  readonly minMs: number;
  readonly minOperations: number;
  readonly maxMs: number;
}

/** One measured turn. */
export interface ForkTurn {
  readonly type: 'fork-turn';
  readonly id: number;
  readonly durationMs: number;
  readonly maxOperations: number;
}

/** Close the session, answer, exit. */
export interface ForkClose {
  readonly type: 'fork-close';
  readonly id: number;
}

/** The answer to command `id`: a sample for warm-ups and turns, an error if the command failed. */
export interface ForkAnswer {
  readonly type: 'fork-answer';
  readonly id: number;
  readonly sample?: Sample | undefined;
  readonly error?: string | undefined;
}

const COMMANDS = new Set(['fork-open', 'fork-warm-up', 'fork-turn', 'fork-close']);

export function isForkCommand(message: unknown): message is ForkCommand {
  if (typeof message !== 'object' || message === null) return false;
  const candidate = message as { type?: unknown; id?: unknown };
  return (
    typeof candidate.type === 'string' && COMMANDS.has(candidate.type) && typeof candidate.id === 'number'
  );
}

/** A recogniser for `waitForMessage`: the answer to command `id`, else undefined. */
export function answerTo(id: number): (message: unknown) => ForkAnswer | undefined {
  return (message) => {
    if (typeof message !== 'object' || message === null) return undefined;
    const candidate = message as { type?: unknown; id?: unknown };
    return candidate.type === 'fork-answer' && candidate.id === id ? (message as ForkAnswer) : undefined;
  };
}

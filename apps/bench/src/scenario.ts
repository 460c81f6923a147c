import type { HttpOperation, ScenarioTraits } from './contender.js';
import type { MicroContender } from './micro-contender.js';
import type { ServerKind } from './servers/start-server.js';

/** `full` is the real benchmark; `quick` runs each scenario once, tiny, to keep the harness working (CI). */
export type Mode = 'full' | 'quick';

/** How long and how often one scenario runs. Every loop in the harness is bounded by these. */
export interface Plan {
  /** Measured rounds; contenders take turns within each round, in a rotating order. */
  readonly rounds: number;
  /** Unmeasured run per contender before the first round (JIT, connections, caches). */
  readonly warmupMs: number;
  /**
   * Forked contenders only: the warm-up also lasts until this many operations completed (a slow
   * client gets as many as a fast one to warm its JIT), but no longer than `warmupMaxMs`.
   */
  readonly warmupOperations?: number | undefined;
  readonly warmupMaxMs?: number | undefined;
  /** Length of one contender's turn in one round. */
  readonly durationMs: number;
  /** Most requests (or operations) in one turn: a turn ends at whichever limit comes first. */
  readonly maxOperations: number;
}

/** What a complete, correct response looks like; every response is checked against it. */
export interface Expectation {
  readonly status: number;
  readonly bodyBytes: number;
  readonly json?: unknown;
  readonly trailers?: Readonly<Record<string, string>>;
}

export interface Workload {
  readonly operation: HttpOperation;
  readonly expected: Expectation;
  /** A cheaper request for the warm-up (a 1 GiB warm-up would double the run). */
  readonly warmup?: { readonly operation: HttpOperation; readonly expected: Expectation } | undefined;
}

/** A scenario of real requests over loopback against one of the servers. */
export interface HttpScenario {
  readonly kind: 'http';
  readonly name: string;
  readonly title: string;
  /** Fairness notes for the report: what is and is not compared. */
  readonly notes: string;
  readonly server: ServerKind;
  readonly traits: ScenarioTraits;
  readonly connections: number;
  /** Requests the harness keeps in flight at once. */
  readonly inFlight: number;
  /** What the headline number counts: requests per second, or body bytes per second. */
  readonly unit: 'requests' | 'bytes';
  /** Run each contender in its own child process, so its peak RSS is its own. */
  readonly isolate: boolean;
  /** The contender every ratio is against. */
  readonly baseline: string;
  workload(mode: Mode): Workload;
  plan(mode: Mode): Plan;
}

/** A scenario of pure computation (parsing) on canned input, no sockets. */
export interface MicroScenario {
  readonly kind: 'micro';
  readonly name: string;
  readonly title: string;
  readonly notes: string;
  readonly baseline: string;
  /** The contenders are specific to the computation, so the scenario lists them. */
  contenders(): Promise<MicroContender[]>;
  /** What every call of a contender's operation must return (a checksum of its output). */
  readonly expectedCheck: number;
  plan(mode: Mode): Plan;
}

export type Scenario = HttpScenario | MicroScenario;

/** Plans shared by most request-rate scenarios. */
export function requestPlan(mode: Mode): Plan {
  // 11 rounds: the paired x-client ÷ x-pool ratios (stack-cost.ts) need more
  // pairs than a median of throughput does to stay put on a loaded machine.
  return mode === 'full'
    ? {
        rounds: 11,
        warmupMs: 300,
        warmupOperations: 20_000,
        warmupMaxMs: 2_000,
        durationMs: 250,
        maxOperations: 1_000_000,
      }
    : { rounds: 1, warmupMs: 0, durationMs: 5_000, maxOperations: 200 };
}

export function microPlan(mode: Mode): Plan {
  return mode === 'full'
    ? { rounds: 7, warmupMs: 300, durationMs: 200, maxOperations: 100_000_000 }
    : { rounds: 1, warmupMs: 0, durationMs: 2_000, maxOperations: 500 };
}

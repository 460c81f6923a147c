import type { Sample } from './measure.js';

/** Everything one contender produced in one scenario. */
export interface ContenderOutcome {
  readonly name: string;
  readonly description: string;
  readonly ceiling: boolean;
  readonly samples: Sample[];
  /** Why the contender stopped early (setup failed, wrong response, hang); its samples so far are kept. */
  error?: string | undefined;
}

/** One scenario's results, as the report needs them. */
export interface ScenarioOutcome {
  readonly name: string;
  readonly title: string;
  readonly notes: string;
  readonly kind: 'http' | 'micro';
  readonly unit: 'requests' | 'bytes' | 'operations';
  readonly baseline: string;
  readonly connections?: number | undefined;
  readonly inFlight?: number | undefined;
  readonly pipelining?: number | undefined;
  readonly rounds: number;
  readonly turnMs: number;
  /** Most requests (or operations) in one turn. */
  readonly maxOperations: number;
  readonly contenders: ContenderOutcome[];
  /**
   * Where the contenders ran (request scenarios): each in its own process for the whole
   * scenario, a fresh process per turn (memory), or all in the harness process. Absent in
   * results written before forks, which ran shared.
   */
  readonly contenderProcesses?: 'fork-per-contender' | 'fresh-per-turn' | 'shared' | undefined;
  /** The scenario could not run at all (e.g. its server did not start). */
  error?: string | undefined;
}

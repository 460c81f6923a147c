import type { Area } from './case.js';
import type { Feature } from './features.js';

/**
 * pass: claimed and passed. fail: claimed and failed (an assertion, a wrong
 * error, a leaked socket, an unhandled rejection). timeout: claimed and gave
 * no answer within the case's time limit (a hang). not-claimed: the
 * transport does not claim every feature the case requires; not run.
 */
export type CaseStatus = 'pass' | 'fail' | 'timeout' | 'not-claimed';

export interface CaseResult {
  readonly id: string;
  readonly area: Area;
  readonly title: string;
  readonly status: CaseStatus;
  readonly durationMs: number;
  /** Why it failed or timed out; for not-claimed, which features are missing. */
  readonly message?: string | undefined;
  readonly missing?: readonly Feature[] | undefined;
}

export interface Totals {
  pass: number;
  fail: number;
  timeout: number;
  notClaimed: number;
}

export interface SubjectReport {
  readonly name: string;
  readonly description?: string | undefined;
  readonly features: readonly Feature[];
  readonly results: readonly CaseResult[];
  readonly totals: Totals;
  /** Set when the subject could not run at all (servers or create() failed). */
  readonly error?: string | undefined;
}

export interface CaseSummary {
  readonly id: string;
  readonly area: Area;
  readonly title: string;
  readonly requires: readonly Feature[];
}

export interface ConformanceReport {
  readonly startedAt: string;
  /** Where it ran: Node version, platform and architecture. */
  readonly environment: { readonly node: string; readonly platform: string };
  readonly durationMs: number;
  readonly cases: readonly CaseSummary[];
  readonly subjects: readonly SubjectReport[];
  readonly totals: Totals;
  /** True when nothing failed or timed out. */
  readonly ok: boolean;
}

export function currentEnvironment(): ConformanceReport['environment'] {
  return { node: process.version, platform: `${process.platform}-${process.arch}` };
}

export function emptyTotals(): Totals {
  return { pass: 0, fail: 0, timeout: 0, notClaimed: 0 };
}

export function addToTotals(totals: Totals, status: CaseStatus): void {
  if (status === 'not-claimed') totals.notClaimed++;
  else totals[status]++;
}

/**
 * The whole run's report from its subjects' reports: one place for the
 * totals and the verdict, whichever runner (in-process or worker threads)
 * produced the subjects.
 */
export function assembleReport(run: {
  startedAt: string;
  durationMs: number;
  cases: readonly CaseSummary[];
  subjects: readonly SubjectReport[];
}): ConformanceReport {
  const totals = emptyTotals();
  for (const subject of run.subjects) {
    totals.pass += subject.totals.pass;
    totals.fail += subject.totals.fail;
    totals.timeout += subject.totals.timeout;
    totals.notClaimed += subject.totals.notClaimed;
  }
  return {
    startedAt: run.startedAt,
    environment: currentEnvironment(),
    durationMs: run.durationMs,
    cases: run.cases.map((item) => ({
      id: item.id,
      area: item.area,
      title: item.title,
      requires: item.requires,
    })),
    subjects: run.subjects,
    totals,
    ok:
      totals.fail === 0 &&
      totals.timeout === 0 &&
      run.subjects.every((subject) => subject.error === undefined),
  };
}

import { Worker } from 'node:worker_threads';
import type { ConformanceCase } from './case.js';
import type { ColumnJob, ColumnMessage } from './column-worker.js';
import {
  assembleReport,
  type CaseResult,
  type ConformanceReport,
  emptyTotals,
  type SubjectReport,
} from './result.js';

export interface ParallelOptions {
  /** Columns to run, by name (from repositorySubjects()). */
  readonly subjects: readonly string[];
  readonly cases: readonly ConformanceCase[];
  /** Columns running at once (default 4): most of a column's time is waiting, not CPU. */
  readonly concurrency?: number;
  readonly timeLimit?: number | undefined;
  readonly onResult?: (subject: string, result: CaseResult) => void;
}

/**
 * Runs the repository's columns in worker threads, `concurrency` at a time,
 * and merges their reports in the order the columns were given. A worker
 * that dies is reported as a setup failure of its column.
 */
export async function runColumnsInWorkers(options: ParallelOptions): Promise<ConformanceReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const reports = new Map<string, ConformanceReport | SubjectReport>();
  const queue = [...options.subjects];
  const caseIds = options.cases.map((item) => item.id);
  const runNext = async (): Promise<void> => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      reports.set(
        name,
        await runColumn({ subject: name, caseIds, timeLimit: options.timeLimit }, options.onResult),
      );
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency ?? 4, options.subjects.length));
  await Promise.all(Array.from({ length: lanes }, runNext));

  const subjects: SubjectReport[] = options.subjects.map((name) => {
    const entry = reports.get(name);
    if (entry === undefined || !('subjects' in entry)) {
      return entry ?? { name, features: [], results: [], totals: emptyTotals(), error: 'did not run' };
    }
    return (
      entry.subjects[0] ?? { name, features: [], results: [], totals: emptyTotals(), error: 'empty report' }
    );
  });
  return assembleReport({
    startedAt,
    durationMs: Math.round(performance.now() - started),
    cases: options.cases,
    subjects,
  });
}

function runColumn(
  job: ColumnJob,
  onResult: ParallelOptions['onResult'],
): Promise<ConformanceReport | SubjectReport> {
  return new Promise((resolve) => {
    let report: ConformanceReport | undefined;
    const worker = new Worker(new URL('./column-worker.ts', import.meta.url), { workerData: job });
    worker.on('message', (message: ColumnMessage) => {
      if (message.type === 'result') {
        onResult?.(message.subject, message.result);
        return;
      }
      report = message.report;
      // Its servers are closed and its report is in: nothing the column left behind may keep it alive.
      void worker.terminate();
    });
    let failure: string | undefined;
    worker.on('error', (error) => {
      failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    });
    worker.on('exit', (code) => {
      if (report) {
        resolve(report);
        return;
      }
      resolve({
        name: job.subject,
        features: [],
        results: [],
        totals: emptyTotals(),
        error: `the column's worker exited (code ${code}) without a report${failure ? `: ${failure}` : ''}`,
      });
    });
  });
}

import { parentPort, workerData } from 'node:worker_threads';
import { ALL_CASES } from './cases/index.js';
import type { CaseResult, ConformanceReport } from './result.js';
import { runMatrix } from './runner.js';
import { repositorySubjects } from './subjects/repository-subjects.js';

/** What the parent sends: one column by name, and which cases to run. */
export interface ColumnJob {
  readonly subject: string;
  readonly caseIds: readonly string[];
  readonly timeLimit?: number | undefined;
}

export type ColumnMessage =
  | { readonly type: 'result'; readonly subject: string; readonly result: CaseResult }
  | { readonly type: 'report'; readonly report: ConformanceReport };

/**
 * One matrix column in its own worker thread. A worker has its own event
 * loop and its own `unhandledRejection`, so columns run side by side while
 * a stray rejection is still pinned on the case (and column) that caused it.
 */
async function main(): Promise<void> {
  const job = workerData as ColumnJob;
  const subject = repositorySubjects().find((candidate) => candidate.name === job.subject);
  if (!subject || !parentPort) throw new Error(`No column named ${job.subject}`);
  const port = parentPort;
  const wanted = new Set(job.caseIds);
  const report = await runMatrix([subject], {
    cases: ALL_CASES.filter((item) => wanted.has(item.id)),
    timeLimit: job.timeLimit,
    onResult: (name, result) =>
      port.postMessage({ type: 'result', subject: name, result } satisfies ColumnMessage),
  });
  port.postMessage({ type: 'report', report } satisfies ColumnMessage);
}

await main();

import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ALL_CASES } from './cases/index.js';
import { runColumnsInWorkers } from './parallel-runner.js';
import { formatConsoleMatrix } from './report/console-matrix.js';
import { writeReports } from './report/write-reports.js';
import type { CaseResult } from './result.js';
import { runMatrix } from './runner.js';
import { repositorySubjects } from './subjects/repository-subjects.js';

/**
 * `pnpm conformance`: runs every case against every transport and stack of
 * the repository, prints the matrix, writes report/conformance.{md,json},
 * exits 1 on any failure or timeout.
 *
 *   --only <text>       run cases whose id contains <text> (repeatable)
 *   --subject <name>    run only this column (repeatable)
 *   --out <dir>         report directory (default apps/conformance/report)
 *   --time-limit <ms>   default per-case limit (default 5000)
 *   --concurrency <n>   columns run at once, each in a worker thread (default 4)
 *   --in-process        run the columns one after another in this process
 */
const { values } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    subject: { type: 'string', multiple: true },
    out: { type: 'string' },
    'time-limit': { type: 'string' },
    concurrency: { type: 'string' },
    'in-process': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});

const only = values.only ?? [];
const wanted = values.subject ?? [];
const cases =
  only.length === 0 ? ALL_CASES : ALL_CASES.filter((item) => only.some((text) => item.id.includes(text)));
const subjects = repositorySubjects().filter(
  (subject) => wanted.length === 0 || wanted.includes(subject.name),
);
if (subjects.length === 0) {
  process.stderr.write(`No such subject: ${wanted.join(', ')}\n`);
  process.exit(2);
}
const timeLimit = values['time-limit'] === undefined ? undefined : Number(values['time-limit']);

const progress = (subject: string, result: CaseResult) => {
  if (values.quiet || result.status === 'not-claimed') return;
  const mark = result.status === 'pass' ? 'ok  ' : result.status === 'fail' ? 'FAIL' : 'TIME';
  process.stderr.write(
    `${mark} ${subject} ${result.id} (${result.durationMs} ms)${result.message ? `: ${result.message}` : ''}\n`,
  );
};

const report = values['in-process']
  ? await runMatrix(subjects, { cases, timeLimit, onResult: progress })
  : await runColumnsInWorkers({
      subjects: subjects.map((subject) => subject.name),
      cases,
      timeLimit,
      concurrency: values.concurrency === undefined ? undefined : Number(values.concurrency),
      onResult: progress,
    });
process.stdout.write(`\n${formatConsoleMatrix(report)}`);
const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const written = await writeReports(report, values.out ?? join(appRoot, 'report'));
process.stdout.write(
  `\nreport: ${relative(process.cwd(), written.markdown)}, ${relative(process.cwd(), written.json)}\n`,
);
process.exitCode = report.ok ? 0 : 1;

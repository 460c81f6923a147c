#!/usr/bin/env node
// Runs every package's vitest suite once and closes with one plain summary
// line ("tests: N passed, N failed, N skipped") that any CI can read.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const report = join(process.cwd(), 'node_modules', '.cache', 'vitest-report.json');
rmSync(report, { force: true });
const result = spawnSync(
  'vitest',
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit', shell: false },
);
if (!existsSync(report)) {
  console.error('tests: no report written (vitest crashed before finishing)');
  process.exit(result.status || 1);
}
const summary = JSON.parse(readFileSync(report, 'utf8'));
const skipped = summary.numPendingTests + summary.numTodoTests;
console.log(`tests: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${skipped} skipped`);
const failed = summary.numFailedTests > 0 || summary.numFailedTestSuites > 0 || !summary.success;
process.exit(failed ? 1 : (result.status ?? 1));

import type { ConformanceReport } from '../result.js';
import { CELL, casesByArea, problems, shorten, statusOf, totalsLine } from './cells.js';

/** The matrix as plain text: one row per case, grouped by area; one column per subject. */
export function formatConsoleMatrix(report: ConformanceReport): string {
  const names = report.subjects.map((subject) => subject.name);
  const idWidth = Math.max(4, ...report.cases.map((item) => item.id.length)) + 4;
  const widths = names.map((name) => Math.max(name.length, 7) + 2);
  const row = (label: string, cells: string[]) =>
    label.padEnd(idWidth) + cells.map((cell, index) => cell.padEnd(widths[index] ?? 9)).join('');
  const lines: string[] = [
    row('case', names),
    '-'.repeat(idWidth + widths.reduce((sum, width) => sum + width, 0)),
  ];
  for (const [area, cases] of casesByArea(report)) {
    lines.push(`[${area}]`);
    for (const item of cases) {
      lines.push(
        row(
          `  ${item.id}`,
          report.subjects.map((subject) => {
            const status = statusOf(subject, item.id);
            return status ? CELL[status] : '?';
          }),
        ),
      );
    }
  }
  lines.push('');
  for (const subject of report.subjects) lines.push(`${subject.name}: ${totalsLine(subject)}`);
  const { pass, fail, timeout, notClaimed } = report.totals;
  lines.push(
    `total: ${pass} pass, ${fail} fail, ${timeout} timeout, ${notClaimed} not claimed in ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  const found = problems(report);
  if (found.length > 0) {
    lines.push('', 'failures:');
    for (const problem of found) {
      lines.push(`  ${problem.subject} ${problem.id} [${problem.status}]: ${shorten(problem.message)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

import { FEATURES } from '../features.js';
import type { ConformanceReport } from '../result.js';
import { CELL, casesByArea, problems, statusOf, totalsLine } from './cells.js';

/** Escapes the characters that would break a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function formatMarkdown(report: ConformanceReport): string {
  const names = report.subjects.map((subject) => subject.name);
  const lines: string[] = [
    '# @x conformance report',
    '',
    `Run ${report.startedAt} on Node ${report.environment.node} (${report.environment.platform}), ` +
      `${(report.durationMs / 1000).toFixed(1)} s. ` +
      `**${report.ok ? 'All claimed cases pass.' : 'Some claimed cases fail.'}** ` +
      '`pass` / `FAIL` / `TIMEOUT` (no answer within the case time limit) / `-` (feature not claimed).',
    '',
    `| case | ${names.map(cell).join(' | ')} |`,
    `| --- | ${names.map(() => ':---:').join(' | ')} |`,
  ];
  for (const [area, cases] of casesByArea(report)) {
    lines.push(`| **${area}** | ${names.map(() => '').join(' | ')} |`);
    for (const item of cases) {
      const cells = report.subjects.map((subject) => {
        const status = statusOf(subject, item.id);
        return status ? CELL[status] : '?';
      });
      lines.push(`| \`${item.id}\` ${cell(item.title)} | ${cells.join(' | ')} |`);
    }
  }
  lines.push(
    `| **totals** (pass/fail/timeout/not claimed) | ${report.subjects
      .map(
        (subject) =>
          `${subject.totals.pass}/${subject.totals.fail}/${subject.totals.timeout}/${subject.totals.notClaimed}`,
      )
      .join(' | ')} |`,
    '',
    '## Transports and stacks',
    '',
  );
  for (const subject of report.subjects) {
    lines.push(`- **${cell(subject.name)}**${subject.description ? `: ${cell(subject.description)}` : ''}`);
    lines.push(`  - claims: ${subject.features.map((feature) => `\`${feature}\``).join(', ') || 'nothing'}`);
    lines.push(`  - ${totalsLine(subject)}`);
  }
  const found = problems(report);
  if (found.length > 0) {
    lines.push('', '## Failures', '', '| transport | case | result | why |', '| --- | --- | --- | --- |');
    for (const problem of found) {
      lines.push(
        `| ${cell(problem.subject)} | \`${problem.id}\` | ${problem.status} | ${cell(problem.message)} |`,
      );
    }
  }
  lines.push('', '## Features', '', '| feature | meaning |', '| --- | --- |');
  for (const [feature, meaning] of Object.entries(FEATURES))
    lines.push(`| \`${feature}\` | ${cell(meaning)} |`);
  return `${lines.join('\n')}\n`;
}

import type { Area } from '../case.js';
import type { CaseStatus, ConformanceReport, SubjectReport } from '../result.js';

/** How each status reads in a matrix cell. */
export const CELL: Readonly<Record<CaseStatus, string>> = {
  pass: 'pass',
  fail: 'FAIL',
  timeout: 'TIMEOUT',
  'not-claimed': '-',
};

export function statusOf(subject: SubjectReport, caseId: string): CaseStatus | undefined {
  return subject.results.find((result) => result.id === caseId)?.status;
}

/** Cases grouped by area, in report order. */
export function casesByArea(report: ConformanceReport): Array<[Area, ConformanceReport['cases']]> {
  const groups = new Map<Area, ConformanceReport['cases'][number][]>();
  for (const item of report.cases) {
    const group = groups.get(item.area) ?? [];
    group.push(item);
    groups.set(item.area, group);
  }
  return [...groups.entries()];
}

export function totalsLine(subject: SubjectReport): string {
  const { pass, fail, timeout, notClaimed } = subject.totals;
  return `${pass} pass, ${fail} fail, ${timeout} timeout, ${notClaimed} not claimed`;
}

/** One line of at most `max` characters: assertion diffs can be long and multi-line; the JSON keeps them whole. */
export function shorten(message: string, max = 400): string {
  const line = message.replace(/\s*\n\s*/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** Every failed or timed-out cell, with its reason. */
export function problems(
  report: ConformanceReport,
): Array<{ subject: string; id: string; status: CaseStatus; message: string }> {
  const list: Array<{ subject: string; id: string; status: CaseStatus; message: string }> = [];
  for (const subject of report.subjects) {
    if (subject.error)
      list.push({ subject: subject.name, id: '(setup)', status: 'fail', message: subject.error });
    for (const result of subject.results) {
      if (result.status === 'fail' || result.status === 'timeout') {
        list.push({
          subject: subject.name,
          id: result.id,
          status: result.status,
          message: result.message ?? '',
        });
      }
    }
  }
  return list;
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Stat } from './measure.js';
import type { ScenarioOutcome } from './outcome.js';
import { overviewRows, ratioMatrix } from './overview.js';
import type { RunResult } from './run.js';
import { STACK_THROUGHPUT_FLOOR, stackCostRows } from './stack-cost.js';
import { type ContenderSummary, summariseScenario } from './summary.js';

const MiB = 1024 * 1024;

/** One scenario as rows of cells: the same table for the console and Markdown. */
export function scenarioTable(scenario: ScenarioOutcome): { header: string[]; rows: string[][] } {
  const summary = summariseScenario(scenario);
  const unit = scenario.unit === 'bytes' ? 'MiB/s' : scenario.unit === 'requests' ? 'req/s' : 'ops/s';
  const perUnit =
    scenario.unit === 'operations' ? 'CPU µs/op' : scenario.unit === 'bytes' ? 'CPU µs/MiB' : 'CPU µs/req';
  const showRss = summary.contenders.some((contender) => contender.peakRssBytes !== null);
  const showCeiling = summary.contenders.some((contender) => contender.ceiling);
  // Only where it means something: the scenarios that store something per request (cache-memory).
  const showRetained = scenario.name === 'cache-memory';
  const header = [
    'contender',
    `${unit} median (min–max)`,
    `${perUnit} median`,
    `vs ${scenario.baseline}`,
    ...(showCeiling ? ['of ceiling'] : []),
    ...(showRss ? ['idle RSS MiB', 'peak RSS MiB', 'RSS growth MiB'] : []),
    ...(showRetained ? ['retained MiB', 'retained B/op'] : []),
    'status',
  ];
  const rows = summary.contenders.map((contender) => [
    contender.ceiling ? `${contender.name} (ceiling)` : contender.name,
    formatRate(contender.rate, scenario.unit === 'bytes' ? MiB : 1),
    contender.cpuMicrosPerOperation === null ? '—' : significant(contender.cpuMicrosPerOperation.median),
    contender.vsBaseline === null ? '—' : `${contender.vsBaseline.toFixed(2)}×`,
    ...(showCeiling
      ? [contender.ofCeiling === null ? '—' : `${(contender.ofCeiling * 100).toFixed(0)} %`]
      : []),
    ...(showRss
      ? [
          mebibytes(contender.idleRssBytes),
          mebibytes(contender.peakRssBytes),
          mebibytes(contender.rssGrowthBytes),
        ]
      : []),
    ...(showRetained
      ? [
          contender.retainedBytes === null ? '—' : (contender.retainedBytes.median / MiB).toFixed(1),
          contender.retainedBytesPerOperation === null
            ? '—'
            : Math.round(contender.retainedBytesPerOperation.median).toLocaleString('en-US'),
        ]
      : []),
    status(contender),
  ]);
  return { header, rows };
}

/** The worst (largest) value over the rounds: memory claims are about the peak. */
function mebibytes(value: Stat | null): string {
  return value === null ? '—' : (value.max / MiB).toFixed(0);
}

function status(contender: ContenderSummary): string {
  if (contender.error !== undefined) return `FAILED: ${contender.error}`;
  return `ok (${contender.completed.toLocaleString('en-US')})`;
}

function formatRate(rate: Stat | null, divisor: number): string {
  if (rate === null) return '—';
  const format = (value: number) => Math.round(value / divisor).toLocaleString('en-US');
  return `${format(rate.median)} (${format(rate.min)}–${format(rate.max)})`;
}

/** Three significant digits: 0.0123, 1.23, 123, 1234. */
function significant(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

function serverNote(scenario: ScenarioOutcome): string {
  const share = summariseScenario(scenario).serverCoreShare;
  return share === null
    ? ''
    : `Server process used at most ${(share * 100).toFixed(0)} % of one core in any turn.`;
}

function scenarioHeading(scenario: ScenarioOutcome): string {
  const shape =
    scenario.kind === 'http'
      ? `${scenario.connections} connection(s), ${scenario.inFlight} in flight, pipelining ${scenario.pipelining}; `
      : '';
  if (scenario.maxOperations === 1)
    return `${shape}${scenario.rounds} round(s) of one request per contender${processes(scenario)}`;
  const limit =
    scenario.maxOperations < 100_000
      ? ` or ${scenario.maxOperations.toLocaleString('en-US')} operations`
      : '';
  return `${shape}${scenario.rounds} round(s) of ${scenario.turnMs} ms${limit} per contender${processes(scenario)}`;
}

/** How the contenders were run, for the method line under each heading. */
function processes(scenario: ScenarioOutcome): string {
  switch (scenario.contenderProcesses) {
    case 'fork-per-contender':
      return '; each contender in its own process for the whole scenario, one active at a time';
    case 'fresh-per-turn':
      return '; each turn in a fresh process of its own';
    case 'shared':
      return '; all contenders in one process (--shared-process)';
    default:
      return scenario.kind === 'micro' ? '; all in one process' : '';
  }
}

/** Aligned plain-text columns, indented two spaces. */
function alignedTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `  ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

/** A Markdown table; numbers right-aligned, the first `leftColumns` columns and a status column left. */
function markdownTable(header: string[], rows: string[][], leftColumns = 1): string[] {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((cell, column) => (column < leftColumns || cell === 'status' ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ];
}

/** The console form: the overview of ours, then one aligned table per scenario. */
export function consoleReport(result: RunResult): string {
  const lines: string[] = [environmentLine(result)];
  if (result.mode === 'quick') lines.push(QUICK_WARNING);
  const overview = overviewRows(result);
  if (overview.rows.length > 0)
    lines.push(
      '',
      'Overview: @x contenders against each baseline',
      ...alignedTable(overview.header, overview.rows),
    );
  const stack = stackCostRows(result);
  if (stack.rows.length > 0) lines.push('', STACK_COST_TITLE, ...alignedTable(stack.header, stack.rows));
  for (const scenario of result.scenarios) {
    lines.push('', `${scenario.name} — ${scenario.title}`, `  ${scenarioHeading(scenario)}`);
    if (scenario.error !== undefined) {
      lines.push(`  FAILED: ${scenario.error}`);
      continue;
    }
    const { header, rows } = scenarioTable(scenario);
    lines.push(...alignedTable(header, rows));
    const note = serverNote(scenario);
    if (note !== '') lines.push(`  ${note}`);
  }
  return lines.join('\n');
}

const STACK_COST_TITLE = 'What the default layers cost: x-client against x-pool, paired round by round';

/** The stack-cost section in Markdown (nothing when the run had no x-client / x-pool pair). */
function markdownStackCost(result: RunResult): string[] {
  const stack = stackCostRows(result);
  if (stack.rows.length === 0) return [];
  return [
    '',
    `#### ${STACK_COST_TITLE}`,
    '',
    'Each round, x-client’s turn over x-pool’s turn in the same round (same machine load); the median of ' +
      `those ratios. The budget: the full default stack keeps at least ${STACK_THROUGHPUT_FLOOR} of the bare ` +
      'pool’s throughput (at most 15 % slower).',
    '',
    ...markdownTable(stack.header, stack.rows, 1),
  ];
}

const QUICK_WARNING =
  'Quick mode: no warm-up and one tiny turn per contender. These numbers only show the harness works; they measure nothing.';

function environmentLine(result: RunResult): string {
  const env = result.environment;
  return (
    `${result.mode} run, ${env.date}, Node ${env.node} (V8 ${env.v8}), ${env.platform}, ` +
    `${env.cpu} × ${env.cores}, ${(env.memoryBytes / 1024 ** 3).toFixed(1)} GiB, took ${(result.durationMs / 1000).toFixed(0)} s`
  );
}

/** The Markdown form, for results/*.md and the root README. */
export function markdownReport(result: RunResult): string {
  const lines: string[] = [`_${environmentLine(result)}._`];
  if (result.mode === 'quick') lines.push('', `**${QUICK_WARNING}**`);
  const overview = overviewRows(result);
  if (overview.rows.length > 0) {
    lines.push(
      '',
      '#### Overview: @x contenders against each baseline',
      '',
      'Ratios of medians; throughput above 1 and CPU per operation below 1 are better than the baseline.',
      '',
      ...markdownTable(overview.header, overview.rows, 3),
    );
  }
  lines.push(...markdownStackCost(result));
  if (saturationNote(result) !== '') lines.push('', saturationNote(result));
  for (const scenario of result.scenarios) {
    lines.push(
      '',
      `#### ${scenario.name}: ${scenario.title}`,
      '',
      `${scenarioHeading(scenario)}. ${scenario.notes}`,
    );
    if (scenario.error !== undefined) {
      lines.push('', `FAILED: ${scenario.error}`);
      continue;
    }
    const { header, rows } = scenarioTable(scenario);
    lines.push('', ...markdownTable(header, rows));
    const note = serverNote(scenario);
    if (note !== '') lines.push('', note);
  }
  return `${lines.join('\n')}\n`;
}

/** Scenarios where the server used nearly a whole core: there the ceiling may be the server's limit. */
function saturationNote(result: RunResult): string {
  const busy = result.scenarios.filter(
    (scenario) => (summariseScenario(scenario).serverCoreShare ?? 0) >= 0.9,
  );
  if (busy.length === 0) return '';
  return (
    `The server process used ≥ 90 % of a core in some turn of ${busy.map((scenario) => scenario.name).join(', ')} ` +
    '(usually the ceiling’s turns): there the ceiling may be the server’s limit rather than the machine’s.'
  );
}

/** The root README's part: the overview of ours and every contender's ratio per scenario. */
export function readmeReport(result: RunResult): string {
  const overview = overviewRows(result);
  const matrix = ratioMatrix(result);
  return [
    `_${environmentLine(result)}._`,
    '',
    'Throughput (requests, bytes or operations per second; median of the rounds) relative to each scenario’s ' +
      'baseline; empty where a contender does not support the scenario. Full tables with min–max, CPU per ' +
      'request and peak RSS: [apps/bench/results/latest.md](apps/bench/results/latest.md).' +
      methodNote(result),
    '',
    ...markdownTable(matrix.header, matrix.rows, 2),
    '',
    'Ours against each baseline, with CPU per operation (the steadier number on a shared machine):',
    '',
    ...markdownTable(overview.header, overview.rows, 3),
    ...markdownStackCost(result),
    '',
    ...(saturationNote(result) === '' ? [] : [saturationNote(result), '']),
  ].join('\n');
}

/** How the request scenarios ran their contenders, as one sentence (empty for results from before forks). */
function methodNote(result: RunResult): string {
  const ways = new Set(result.scenarios.map((scenario) => scenario.contenderProcesses));
  if (ways.has('fork-per-contender')) {
    return ' Each request scenario runs every contender in a process of its own, one active at a time.';
  }
  if (ways.has('shared'))
    return ' Every request scenario ran all its contenders in one process (--shared-process).';
  return '';
}

const SECTION_START = '<!-- bench:start -->';
const SECTION_END = '<!-- bench:end -->';

/** `text` with everything between the bench markers replaced by `markdown`; null when the markers are missing. */
export function replaceBenchSection(text: string, markdown: string): string | null {
  const start = text.indexOf(SECTION_START);
  const end = text.indexOf(SECTION_END, start);
  if (start === -1 || end === -1) return null;
  return `${text.slice(0, start + SECTION_START.length)}\n${markdown}${text.slice(end)}`;
}

/** The JSON form: every raw sample plus the computed summary, for anyone who wants other statistics. */
export function jsonReport(result: RunResult): string {
  return `${JSON.stringify(
    {
      ...result,
      scenarios: result.scenarios.map((scenario) => ({ ...scenario, summary: summariseScenario(scenario) })),
    },
    null,
    2,
  )}\n`;
}

/** Writes `<name>.md` and `<name>.json` into `folder`; returns their paths. */
export async function writeReports(result: RunResult, folder: string, name: string): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const markdown = join(folder, `${name}.md`);
  const json = join(folder, `${name}.json`);
  await writeFile(markdown, markdownReport(result));
  await writeFile(json, jsonReport(result));
  return [markdown, json];
}

import { STACK_THROUGHPUT_FLOOR } from '../stack-cost.js';
import type { InterleavedCost, Spread } from './interleaved-stats.js';

export interface ScenarioCost {
  readonly scenario: string;
  /** Operations per turn and requests in flight. */
  readonly operations: number;
  readonly inFlight: number;
  readonly cost: InterleavedCost | null;
  readonly error?: string | undefined;
}

export interface ReportContext {
  readonly date: Date;
  readonly node: string;
  readonly rounds: number;
}

const ratio = (value: number) => `${value.toFixed(2)}`;
const range = (spread: Spread, format: (value: number) => string) =>
  `${format(spread.median)} (${format(spread.low)}–${format(spread.high)})`;

/** The Markdown report: one row per scenario, the budget's verdict on the median throughput ratio. */
export function interleavedTable(costs: readonly ScenarioCost[], context: ReportContext): string {
  const lines = [
    `_x-client against x-pool in one process, turns interleaved (${context.rounds} rounds, the side that goes first alternating), over the bench's loopback servers; ${context.date.toISOString()}, Node ${context.node}. Median of the per-round ratios, 25th–75th percentile in brackets. CPU is this process's (the client side); the server runs in its own._`,
    '',
    `| scenario | in flight | requests per turn | throughput x-client ÷ x-pool | CPU per request x-client ÷ x-pool | CPU µs added per request | ≥ ${STACK_THROUGHPUT_FLOOR} |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const row of costs) {
    if (row.cost === null) {
      lines.push(
        `| ${row.scenario} | ${row.inFlight} | ${row.operations} | failed: ${row.error ?? 'no usable round'} | | | no |`,
      );
      continue;
    }
    const { throughput, cpu, addedCpuMicros } = row.cost;
    const verdict = throughput.median >= STACK_THROUGHPUT_FLOOR ? 'yes' : 'no';
    lines.push(
      `| ${row.scenario} | ${row.inFlight} | ${row.operations} | ${range(throughput, ratio)} | ${range(cpu, ratio)} | ${range(addedCpuMicros, (value) => value.toFixed(1))} | ${verdict} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

import { describe, expect, it } from 'vitest';
import { loadContender } from '../src/contenders.js';
import { interleavedTable } from '../src/interleaved/interleaved-report.js';
import { eligible, runInterleaved } from '../src/interleaved/interleaved-run.js';
import {
  interleavedCost,
  quantile,
  type Round,
  stackGoesFirst,
  type Turn,
} from '../src/interleaved/interleaved-stats.js';
import type { HttpScenario } from '../src/scenario.js';
import { findScenario, SCENARIOS } from '../src/scenarios/index.js';

const turn = (operations: number, elapsedMs: number, cpuMicros: number): Turn => ({
  operations,
  elapsedMs,
  cpuMicros,
});

describe('interleaved stack-cost arithmetic', () => {
  it('interpolates quantiles between ranks and refuses an empty list', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([10, 20], 0.75)).toBe(17.5);
    expect(quantile([7], 0.9)).toBe(7);
    expect(() => quantile([], 0.5)).toThrow('quantile of nothing');
  });

  it('divides each round by its own pool turn, so a slow round slows both sides and cancels out', () => {
    const rounds: Round[] = [
      // The stack 10 % slower and 20 % more CPU per request, under three different loads.
      { stack: turn(1000, 110, 120_000), pool: turn(1000, 100, 100_000) },
      { stack: turn(1000, 330, 240_000), pool: turn(1000, 300, 200_000) },
      { stack: turn(1000, 55, 60_000), pool: turn(1000, 50, 50_000) },
    ];
    const cost = interleavedCost(rounds);
    expect(cost?.rounds).toBe(3);
    expect(cost?.throughput.median).toBeCloseTo(1 / 1.1, 6);
    expect(cost?.throughput.low).toBeCloseTo(1 / 1.1, 6);
    expect(cost?.cpu.median).toBeCloseTo(1.2, 6);
    // 20, 40 and 10 µs added per request: the median is 20.
    expect(cost?.addedCpuMicros.median).toBeCloseTo(20, 6);
    expect(cost?.addedCpuMicros.high).toBeCloseTo(30, 6);
  });

  it('leaves out rounds where a side did nothing, and gives null when none is left', () => {
    const good = { stack: turn(100, 10, 1000), pool: turn(100, 20, 1000) };
    const empty = { stack: turn(0, 10, 1000), pool: turn(100, 20, 1000) };
    expect(interleavedCost([good, empty])?.rounds).toBe(1);
    expect(interleavedCost([good, empty])?.throughput.median).toBe(2);
    expect(interleavedCost([empty])).toBeNull();
  });

  it('alternates which side goes first', () => {
    expect([0, 1, 2, 3].map(stackGoesFirst)).toEqual([true, false, true, false]);
  });

  it('reports each scenario against the 0.85 floor, and a failed one as failed', () => {
    const cost = interleavedCost([
      { stack: turn(100, 100, 1000), pool: turn(100, 80, 1000) },
      { stack: turn(100, 100, 1000), pool: turn(100, 80, 1000) },
    ]);
    const table = interleavedTable(
      [
        { scenario: 'small-get', operations: 100, inFlight: 1, cost },
        { scenario: 'post-1k', operations: 0, inFlight: 1, cost: null, error: 'server went away' },
      ],
      { date: new Date('2026-01-01T00:00:00Z'), node: 'v24.0.0', rounds: 2 },
    );
    expect(table).toContain(
      '| small-get | 1 | 100 | 0.80 (0.80–0.80) | 1.00 (1.00–1.00) | 0.0 (0.0–0.0) | no |',
    );
    expect(table).toContain('| post-1k | 1 | 0 | failed: server went away | | | no |');
  });
});

describe('the interleaved run', () => {
  it('measures only request scenarios both x-client and x-pool can run', async () => {
    const stack = await loadContender('x-client');
    const pool = await loadContender('x-pool');
    const names = SCENARIOS.filter((scenario) => eligible(scenario, stack, pool)).map(
      (scenario) => scenario.name,
    );
    expect(names).toContain('small-get');
    expect(names).toContain('post-1k');
    // Pipelining (x-client has none), bytes (the download), caches and micro scenarios are out.
    for (const name of ['pipelined-get', 'download', 'cache-hit', 'parse-response'])
      expect(names).not.toContain(name);
  });

  it('runs both stacks over a real loopback server, every response checked, and summarises the rounds', async () => {
    const lines: string[] = [];
    const result = await runInterleaved(findScenario('small-get') as HttpScenario, {
      rounds: 2,
      turnMs: 5,
      warmupMs: 30,
      log: (line) => lines.push(line),
    });
    expect(result.error).toBeUndefined();
    expect(result.cost?.rounds).toBe(2);
    expect(result.operations).toBeGreaterThan(0);
    expect(result.cost?.throughput.median).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^small-get: 2 rounds of \d+ requests/);
  });
});

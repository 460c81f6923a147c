import { describe, expect, it } from 'vitest';
import type { Sample } from '../src/measure.js';
import type { ContenderOutcome, ScenarioOutcome } from '../src/outcome.js';
import { consoleReport, markdownReport } from '../src/report.js';
import type { RunResult } from '../src/run.js';
import { stackCostRows, stackCosts } from '../src/stack-cost.js';

/** A turn that completed `completed` requests in 1 s using `cpuMicros` of CPU. */
function turn(completed: number, cpuMicros: number): Sample {
  return { sent: completed, completed, failed: 0, elapsedMs: 1000, cpuMicros, bodyBytes: completed * 12 };
}

function contender(name: string, samples: Sample[], error?: string): ContenderOutcome {
  return { name, description: name, ceiling: false, samples, error };
}

function scenario(name: string, contenders: ContenderOutcome[], unit: 'requests' | 'bytes' = 'requests') {
  const outcome: ScenarioOutcome = {
    name,
    title: name,
    notes: '',
    kind: 'http',
    unit,
    baseline: 'undici-request',
    rounds: contenders[0]?.samples.length ?? 0,
    turnMs: 1000,
    maxOperations: 1_000_000,
    contenders,
  };
  return outcome;
}

function run(scenarios: ScenarioOutcome[]): RunResult {
  return {
    mode: 'full',
    durationMs: 1000,
    environment: {
      date: '2026-11-24T00:00:00.000Z',
      node: 'v24',
      v8: '13',
      platform: 'linux x64',
      cpu: 'test',
      cores: 2,
      memoryBytes: 2 ** 30,
    },
    scenarios,
  };
}

describe('stackCosts', () => {
  it('pairs rounds, so a load swing that hits both turns of a round cancels out', () => {
    // The machine slows to half speed in round 2: the medians of the two
    // contenders would mix rounds, the per-round ratios stay at 0.9.
    const result = run([
      scenario('small-get', [
        contender('x-pool', [turn(10_000, 600_000), turn(5_000, 600_000), turn(10_000, 600_000)]),
        contender('x-client', [turn(9_000, 600_000), turn(4_500, 600_000), turn(9_000, 600_000)]),
      ]),
    ]);
    const [cost] = stackCosts(result);
    expect(cost?.scenario).toBe('small-get');
    expect(cost?.pairs).toBe(3);
    expect(cost?.throughput.median).toBeCloseTo(0.9, 10);
    expect(cost?.throughput.min).toBeCloseTo(0.9, 10);
    // CPU per request: 600,000 / 9,000 over 600,000 / 10,000.
    expect(cost?.cpu?.median).toBeCloseTo(10 / 9, 10);
  });

  it('takes the median of the paired ratios and says when the 15 % budget is missed', () => {
    const result = run([
      scenario('post-1k', [
        contender('x-pool', [turn(100, 1), turn(100, 1), turn(100, 1)]),
        contender('x-client', [turn(70, 1), turn(80, 1), turn(95, 1)]),
      ]),
      scenario('json-get', [
        contender('x-pool', [turn(100, 1), turn(100, 1)]),
        contender('x-client', [turn(86, 1), turn(90, 1)]),
      ]),
    ]);
    const { rows } = stackCostRows(result);
    expect(rows).toEqual([
      ['post-1k', '3', '0.80 (0.70–0.95)', expect.any(String), 'no'],
      ['json-get', '2', '0.88 (0.86–0.90)', expect.any(String), 'yes'],
    ]);
  });

  it('compares bytes per second in byte scenarios, and skips scenarios without both or with a failure', () => {
    const download = scenario(
      'download',
      [
        contender('x-pool', [{ ...turn(1, 1), bodyBytes: 1000 }]),
        contender('x-client', [{ ...turn(1, 1), bodyBytes: 800 }]),
      ],
      'bytes',
    );
    const onlyPool = scenario('concurrent-get', [contender('x-pool', [turn(10, 1)])]);
    const failed = scenario('chunked-trailers', [
      contender('x-pool', [turn(10, 1)]),
      contender('x-client', [turn(10, 1)], 'wrong body'),
    ]);
    const costs = stackCosts(run([download, onlyPool, failed]));
    expect(costs.map((cost) => cost.scenario)).toEqual(['download']);
    expect(costs[0]?.throughput.median).toBeCloseTo(0.8, 10);
  });

  it('is a section of the console and Markdown reports only when there is a pair', () => {
    const paired = run([
      scenario('small-get', [contender('x-pool', [turn(10, 1)]), contender('x-client', [turn(9, 1)])]),
    ]);
    expect(consoleReport(paired)).toContain('x-client against x-pool');
    expect(markdownReport(paired)).toContain('| small-get | 1 | 0.90 (0.90–0.90)');
    const alone = run([scenario('small-get', [contender('x-pool', [turn(10, 1)])])]);
    expect(markdownReport(alone)).not.toContain('x-client against x-pool');
  });
});

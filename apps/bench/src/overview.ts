import type { RunResult } from './run.js';
import { summariseScenario } from './summary.js';

/** Contenders that are ours: named `x-*` by convention. */
const isOurs = (name: string) => name.startsWith('x-');

/**
 * The headline: one row per (scenario, our contender) with throughput and
 * CPU per request relative to the scenario's baseline, and the share of the
 * ceiling. CPU per request is the steadier of the two on a shared machine
 * (waiting for a core does not count), so both are shown.
 */
export function overviewRows(result: RunResult): { header: string[]; rows: string[][] } {
  const header = [
    'scenario',
    'ours',
    'baseline',
    'throughput vs baseline',
    'CPU/op vs baseline',
    'of ceiling',
  ];
  const rows: string[][] = [];
  for (const scenario of result.scenarios) {
    for (const contender of summariseScenario(scenario).contenders) {
      if (!isOurs(contender.name)) continue;
      rows.push([
        scenario.name,
        contender.name,
        scenario.baseline,
        contender.error !== undefined
          ? 'FAILED'
          : contender.vsBaseline === null
            ? '—'
            : `${contender.vsBaseline.toFixed(2)}×`,
        contender.cpuVsBaseline === null ? '—' : `${contender.cpuVsBaseline.toFixed(2)}×`,
        contender.ofCeiling === null ? '—' : `${(contender.ofCeiling * 100).toFixed(0)} %`,
      ]);
    }
  }
  return { header, rows };
}

/**
 * Every contender's throughput relative to the baseline, one row per
 * request scenario (parsing scenarios have their own contenders and are in
 * the overview): the compact table for the root README (full tables are in
 * results/latest.md).
 */
export function ratioMatrix(result: RunResult): { header: string[]; rows: string[][] } {
  const scenarios = result.scenarios.filter((scenario) => scenario.kind === 'http');
  const names: string[] = [];
  for (const scenario of scenarios) {
    for (const contender of scenario.contenders)
      if (!names.includes(contender.name)) names.push(contender.name);
  }
  const header = ['scenario', 'baseline', ...names];
  const rows = scenarios.map((scenario) => {
    const summary = summariseScenario(scenario).contenders;
    return [
      scenario.name,
      scenario.baseline,
      ...names.map((name) => {
        const contender = summary.find((candidate) => candidate.name === name);
        if (contender === undefined) return '';
        if (contender.error !== undefined) return 'failed';
        return contender.vsBaseline === null ? '—' : `${contender.vsBaseline.toFixed(2)}×`;
      }),
    ];
  });
  return { header, rows };
}

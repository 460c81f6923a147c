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

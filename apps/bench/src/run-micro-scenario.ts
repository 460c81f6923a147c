import { describe, runMicroTurn, type TurnLimits } from './measure.js';
import type { ContenderOutcome, ScenarioOutcome } from './outcome.js';
import type { MicroScenario, Mode } from './scenario.js';
import { rotation } from './scenario-turns.js';

/**
 * Runs a computation scenario in this process: prepare every contender,
 * warm each up, then rounds of turns in a rotating order, as for requests.
 */
export async function runMicroScenario(
  scenario: MicroScenario,
  mode: Mode,
  log: (line: string) => void,
  only: (name: string) => boolean = () => true,
): Promise<ScenarioOutcome> {
  const plan = scenario.plan(mode);
  const result: ScenarioOutcome = {
    name: scenario.name,
    title: scenario.title,
    notes: scenario.notes,
    kind: 'micro',
    unit: 'operations',
    baseline: scenario.baseline,
    rounds: plan.rounds,
    turnMs: plan.durationMs,
    maxOperations: plan.maxOperations,
    contenders: [],
  };
  const contenders = (await scenario.contenders()).filter((contender) => only(contender.name));
  const runs: Array<(() => number) | undefined> = [];
  for (const contender of contenders) {
    const outcome: ContenderOutcome = {
      name: contender.name,
      description: contender.description,
      ceiling: false,
      samples: [],
    };
    result.contenders.push(outcome);
    try {
      runs.push(contender.prepare());
    } catch (error) {
      runs.push(undefined);
      outcome.error = `prepare failed: ${describe(error)}`;
    }
  }
  const limits: TurnLimits = {
    durationMs: plan.durationMs,
    maxOperations: plan.maxOperations,
    hangTimeoutMs: 0,
  };
  if (plan.warmupMs > 0) {
    for (const [index, run] of runs.entries()) {
      const outcome = result.contenders[index] as ContenderOutcome;
      if (run === undefined) continue;
      const sample = runMicroTurn(run, scenario.expectedCheck, { ...limits, durationMs: plan.warmupMs });
      if (sample.error !== undefined) outcome.error = `warm-up: ${sample.error}`;
    }
  }
  for (let round = 0; round < plan.rounds; round++) {
    for (const index of rotation(runs.length, round)) {
      const run = runs[index];
      const outcome = result.contenders[index] as ContenderOutcome;
      if (run === undefined || outcome.error !== undefined) continue;
      const sample = runMicroTurn(run, scenario.expectedCheck, limits);
      outcome.samples.push(sample);
      if (sample.error !== undefined) outcome.error = sample.error;
      log(
        `  ${scenario.name} round ${round + 1} ${outcome.name}: ${sample.completed} in ${sample.elapsedMs.toFixed(0)} ms`,
      );
      // Let timers and I/O run between turns.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return result;
}

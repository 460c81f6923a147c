import { cpus, totalmem } from 'node:os';
import { ChildProcesses } from './child-processes.js';
import { loadContenders } from './contenders.js';
import type { ScenarioOutcome } from './outcome.js';
import { runHttpScenario } from './run-http-scenario.js';
import { runMicroScenario } from './run-micro-scenario.js';
import type { Mode, Scenario } from './scenario.js';
import { SCENARIOS } from './scenarios/index.js';

export interface RunOptions {
  readonly mode: Mode;
  /** Scenario names to run; all when empty. */
  readonly scenarios?: readonly string[] | undefined;
  /** Contender names to run (the ceiling and baseline are always kept); all when empty. */
  readonly contenders?: readonly string[] | undefined;
  readonly log?: ((line: string) => void) | undefined;
  /**
   * Run every request scenario's contenders in this process, as before forks (for comparison).
   * Default false: each contender in a child process of its own (`run-forked-scenario.ts`).
   */
  readonly sharedProcess?: boolean | undefined;
  /** Child processes of this run; the caller may pass its own to kill them on SIGINT. */
  readonly children?: ChildProcesses | undefined;
}

/** Where and when a run happened: results from different machines are not comparable. */
export interface Environment {
  readonly date: string;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryBytes: number;
}

export interface RunResult {
  readonly mode: Mode;
  readonly environment: Environment;
  readonly durationMs: number;
  readonly scenarios: ScenarioOutcome[];
}

export function environment(): Environment {
  const cpuList = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryBytes: totalmem(),
  };
}

/** Picks scenarios by name; an unknown name is an error, not silently nothing. */
export function selectScenarios(names: readonly string[] | undefined): Scenario[] {
  if (names === undefined || names.length === 0) return [...SCENARIOS];
  return names.map((name) => {
    const scenario = SCENARIOS.find((candidate) => candidate.name === name);
    if (scenario === undefined) {
      throw new Error(
        `Unknown scenario "${name}". Known: ${SCENARIOS.map((known) => known.name).join(', ')}`,
      );
    }
    return scenario;
  });
}

/**
 * Runs the chosen scenarios one after another and returns every sample.
 * Whatever happens, every server and child process it started is killed
 * before it returns or throws.
 */
export async function runBenchmarks(options: RunOptions): Promise<RunResult> {
  const log = options.log ?? (() => {});
  const children = options.children ?? new ChildProcesses();
  const scenarios = selectScenarios(options.scenarios);
  const wanted = new Set(options.contenders ?? []);
  const started = performance.now();
  const env = environment();
  const outcomes: ScenarioOutcome[] = [];
  try {
    const all = await loadContenders(log);
    for (const scenario of scenarios) {
      const keep = (name: string, scenarioBaseline: string) =>
        wanted.size === 0 || wanted.has(name) || name === scenarioBaseline || name === 'raw-socket';
      log(`${scenario.name}: ${scenario.title}`);
      if (scenario.kind === 'http') {
        const contenders = all.filter((contender) => keep(contender.name, scenario.baseline));
        outcomes.push(
          await runHttpScenario(scenario, contenders, {
            mode: options.mode,
            children,
            log,
            sharedProcess: options.sharedProcess,
          }),
        );
      } else {
        outcomes.push(
          await runMicroScenario(scenario, options.mode, log, (name) => keep(name, scenario.baseline)),
        );
      }
    }
  } finally {
    await children.killAll();
  }
  return {
    mode: options.mode,
    environment: env,
    durationMs: performance.now() - started,
    scenarios: outcomes,
  };
}

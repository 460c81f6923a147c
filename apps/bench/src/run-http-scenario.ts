import type { ChildProcess } from 'node:child_process';
import { type ChildProcesses, waitForMessage } from './child-processes.js';
import type { ClientSession, Contender } from './contender.js';
import { type IsolatedJob, isolatedSample, isReady } from './isolated-job.js';
import { describe, runTurn, type TurnLimits } from './measure.js';
import type { ContenderOutcome, ScenarioOutcome } from './outcome.js';
import { runForked } from './run-forked-scenario.js';
import type { HttpScenario, Mode } from './scenario.js';
import {
  CLOSE_TIMEOUT_MS,
  HANG_TIMEOUT_MS,
  progress,
  rotation,
  setupOptions,
  withTimeout,
} from './scenario-turns.js';
import { type RunningServer, startServer } from './servers/start-server.js';

export interface RunContext {
  readonly mode: Mode;
  readonly children: ChildProcesses;
  readonly log: (line: string) => void;
  /**
   * Run every contender of a request scenario in the harness process, as before forks (for
   * comparison): their shared library code then shares JIT feedback. Default false.
   */
  readonly sharedProcess?: boolean | undefined;
}

const ISOLATED_HANG_TIMEOUT_MS = 120_000;

export { rotation, setupOptions } from './scenario-turns.js';

/**
 * Runs one request scenario: starts its server in its own process, sets up
 * every contender that supports it, warms each up, then runs the rounds,
 * each contender taking one turn per round in a rotating order (so no
 * contender always runs first or right after the slowest). A contender that
 * fails is dropped from later rounds and reported with its error.
 *
 * Where the contenders run: each in a process of its own for the whole
 * scenario (`run-forked-scenario.ts`, the default); in a fresh process per
 * turn for memory scenarios (`isolate`); or all in the harness process with
 * `sharedProcess`.
 */
export async function runHttpScenario(
  scenario: HttpScenario,
  contenders: readonly Contender[],
  context: RunContext,
): Promise<ScenarioOutcome> {
  const plan = scenario.plan(context.mode);
  const eligible = contenders.filter((contender) => contender.supports(scenario.traits));
  const outcomes: ContenderOutcome[] = eligible.map((contender) => ({
    name: contender.name,
    description: contender.description,
    ceiling: contender.ceiling === true,
    samples: [],
  }));
  const result: ScenarioOutcome = {
    name: scenario.name,
    title: scenario.title,
    notes: scenario.notes,
    kind: 'http',
    unit: scenario.unit,
    baseline: scenario.baseline,
    connections: scenario.connections,
    inFlight: scenario.inFlight,
    pipelining: scenario.traits.pipelining,
    rounds: plan.rounds,
    turnMs: plan.durationMs,
    maxOperations: plan.maxOperations,
    contenders: outcomes,
    contenderProcesses: scenario.isolate
      ? 'fresh-per-turn'
      : context.sharedProcess === true
        ? 'shared'
        : 'fork-per-contender',
  };
  let server: RunningServer;
  try {
    server = await startServer(context.children, scenario.server);
  } catch (error) {
    result.error = describe(error);
    return result;
  }
  try {
    if (scenario.isolate) await runIsolated(scenario, eligible, outcomes, server, context);
    else if (context.sharedProcess === true)
      await runInProcess(scenario, eligible, outcomes, server, context);
    else await runForked(scenario, eligible, outcomes, server, context);
  } finally {
    await server.close();
  }
  return result;
}

async function runInProcess(
  scenario: HttpScenario,
  contenders: readonly Contender[],
  outcomes: ContenderOutcome[],
  server: RunningServer,
  context: RunContext,
): Promise<void> {
  const plan = scenario.plan(context.mode);
  const workload = scenario.workload(context.mode);
  const limits: TurnLimits = {
    durationMs: plan.durationMs,
    maxOperations: plan.maxOperations,
    hangTimeoutMs: HANG_TIMEOUT_MS,
  };
  const sessions = new Map<number, ClientSession>();
  try {
    for (const [index, contender] of contenders.entries()) {
      const outcome = outcomes[index] as ContenderOutcome;
      try {
        sessions.set(index, await contender.setup(setupOptions(scenario, server.origin)));
      } catch (error) {
        outcome.error = `setup failed: ${describe(error)}`;
        continue;
      }
      if (plan.warmupMs > 0) {
        const warmup = workload.warmup ?? workload;
        const sample = await runTurn(
          sessions.get(index) as ClientSession,
          warmup.operation,
          warmup.expected,
          scenario.inFlight,
          { ...limits, durationMs: plan.warmupMs },
          outcome.ceiling,
        );
        if (sample.error !== undefined) outcome.error = `warm-up: ${sample.error}`;
      }
    }
    for (let round = 0; round < plan.rounds; round++) {
      for (const index of rotation(contenders.length, round)) {
        const outcome = outcomes[index] as ContenderOutcome;
        const session = sessions.get(index);
        if (session === undefined || outcome.error !== undefined) continue;
        const serverBefore = await server.cpuMicros();
        const sample = await runTurn(
          session,
          workload.operation,
          workload.expected,
          scenario.inFlight,
          limits,
          outcome.ceiling,
        );
        const serverCpuMicros = (await server.cpuMicros()) - serverBefore;
        outcome.samples.push({ ...sample, serverCpuMicros });
        if (sample.error !== undefined) outcome.error = sample.error;
        context.log(progress(scenario.name, round, outcome.name, sample));
      }
    }
  } finally {
    for (const [index, session] of sessions) {
      const outcome = outcomes[index] as ContenderOutcome;
      const closed = await withTimeout(session.close(), CLOSE_TIMEOUT_MS).catch((error: unknown) =>
        describe(error),
      );
      if (closed !== undefined && outcome.error === undefined) outcome.error = `close: ${closed}`;
    }
  }
}

/** How long a forked isolated process may take to load and say it is ready. */
const ISOLATED_READY_TIMEOUT_MS = 30_000;

/**
 * Memory scenarios: each contender's turn runs in a process of its own
 * (`isolated-turn.ts`, bundled and run by plain node), so its RSS is its
 * own. The job goes over IPC once the child says it is ready.
 */
async function runIsolated(
  scenario: HttpScenario,
  contenders: readonly Contender[],
  outcomes: ContenderOutcome[],
  server: RunningServer,
  context: RunContext,
): Promise<void> {
  const plan = scenario.plan(context.mode);
  const workload = scenario.workload(context.mode);
  const { origin, ...setup } = setupOptions(scenario, server.origin);
  for (let round = 0; round < plan.rounds; round++) {
    for (const index of rotation(contenders.length, round)) {
      const outcome = outcomes[index] as ContenderOutcome;
      const contender = contenders[index] as Contender;
      if (outcome.error !== undefined) continue;
      const what = `${scenario.name}/${contender.name}`;
      let child: ChildProcess | undefined;
      try {
        const forked = await context.children.forkIsolated();
        child = forked;
        await waitForMessage(forked, isReady, ISOLATED_READY_TIMEOUT_MS, `${what} start`);
        const job: IsolatedJob = {
          type: 'job',
          contender: contender.name,
          origin: origin.href,
          setup,
          workload,
          plan,
          inFlight: scenario.inFlight,
          hangTimeoutMs: ISOLATED_HANG_TIMEOUT_MS,
        };
        const serverBefore = await server.cpuMicros();
        const answer = waitForMessage(
          forked,
          isolatedSample,
          ISOLATED_HANG_TIMEOUT_MS + plan.durationMs + plan.warmupMs,
          what,
        );
        // A failed send (the child died after `ready`) reaches `answer` as an error or an exit.
        forked.send(job, (error: Error | null) => {
          if (error !== null) forked.kill('SIGKILL');
        });
        const sample = await answer;
        const serverCpuMicros = (await server.cpuMicros()) - serverBefore;
        outcome.samples.push({ ...sample, serverCpuMicros });
        if (sample.error !== undefined) outcome.error = sample.error;
        context.log(progress(scenario.name, round, outcome.name, sample));
      } catch (error) {
        outcome.error = describe(error);
      } finally {
        if (child !== undefined) await context.children.kill(child);
      }
    }
  }
}

import type { ChildProcess } from 'node:child_process';
import { waitForMessage } from './child-processes.js';
import type { Contender } from './contender.js';
import { answerTo, type ForkAnswer, type ForkCommand } from './fork-protocol.js';
import { isReady } from './isolated-job.js';
import { describe, type Sample } from './measure.js';
import type { ContenderOutcome } from './outcome.js';
import type { RunContext } from './run-http-scenario.js';
import type { HttpScenario } from './scenario.js';
import { CLOSE_TIMEOUT_MS, HANG_TIMEOUT_MS, progress, rotation, setupOptions } from './scenario-turns.js';
import type { RunningServer } from './servers/start-server.js';

/** How long a forked contender may take to load, say it is ready, and set up its client. */
const START_TIMEOUT_MS = 30_000;

/** Distributive, so each command keeps its own fields without its id. */
type Command = ForkCommand extends infer Each ? (Each extends ForkCommand ? Omit<Each, 'id'> : never) : never;

/** One contender's process for the whole scenario, asked one command at a time. */
class Fork {
  #nextId = 0;

  constructor(
    readonly child: ChildProcess,
    readonly what: string,
  ) {}

  /** Sends a command and waits for its answer; an `error` answer is thrown. */
  async ask(command: Command, timeoutMs: number): Promise<ForkAnswer> {
    const id = this.#nextId++;
    const answer = waitForMessage(this.child, answerTo(id), timeoutMs, `${this.what} ${command.type}`);
    // A failed send (the child died) reaches `answer` as an exit.
    this.child.send({ ...command, id }, (error: Error | null) => {
      if (error !== null) this.child.kill('SIGKILL');
    });
    const answered = await answer;
    if (answered.error !== undefined) throw new Error(answered.error);
    return answered;
  }
}

/**
 * Request scenarios, JMH-style: each contender runs in a process of its own
 * for the whole scenario (the bundled `isolated-turn.ts` entry, serving
 * `fork-protocol.ts`). Why: contenders that share library code (the @x
 * contenders all run @x/protocol and @x/pool, the undici ones share undici)
 * would otherwise share JIT feedback, so one client's call sites turn
 * polymorphic from another's types, and an application loads one client.
 * Each process is set up and warmed up in turn (by time and by operations,
 * so a slow client gets as many warm-up requests as a fast one), then the
 * harness drives the rounds over IPC in a rotating order, one contender
 * active at a time. Client CPU is the child's own `process.cpuUsage()` over
 * its turn; server CPU is measured here around each turn, as in-process.
 * Every process is closed at the end, killed if it does not close.
 */
export async function runForked(
  scenario: HttpScenario,
  contenders: readonly Contender[],
  outcomes: ContenderOutcome[],
  server: RunningServer,
  context: RunContext,
): Promise<void> {
  const plan = scenario.plan(context.mode);
  const workload = scenario.workload(context.mode);
  const { origin, ...setup } = setupOptions(scenario, server.origin);
  const forks = new Map<number, Fork>();
  try {
    for (const [index, contender] of contenders.entries()) {
      const outcome = outcomes[index] as ContenderOutcome;
      const what = `${scenario.name}/${contender.name}`;
      try {
        const child = await context.children.forkIsolated();
        const fork = new Fork(child, what);
        forks.set(index, fork);
        await waitForMessage(child, isReady, START_TIMEOUT_MS, `${what} start`);
        try {
          await fork.ask(
            {
              type: 'fork-open',
              contender: contender.name,
              origin: origin.href,
              setup,
              workload,
              inFlight: scenario.inFlight,
              hangTimeoutMs: HANG_TIMEOUT_MS,
            },
            START_TIMEOUT_MS,
          );
        } catch (error) {
          outcome.error = `setup failed: ${describe(error)}`;
          continue;
        }
        if (plan.warmupMs > 0) {
          const maxMs = Math.max(plan.warmupMs, plan.warmupMaxMs ?? plan.warmupMs);
          const { sample } = await fork.ask(
            {
              type: 'fork-warm-up',
              minMs: plan.warmupMs,
              minOperations: plan.warmupOperations ?? 0,
              maxMs,
            },
            maxMs + HANG_TIMEOUT_MS * 2,
          );
          if (sample?.error !== undefined) outcome.error = `warm-up: ${sample.error}`;
          else if (sample !== undefined) {
            context.log(
              `  ${scenario.name} warm-up ${contender.name}: ${sample.completed} in ${sample.elapsedMs.toFixed(0)} ms`,
            );
          }
        }
      } catch (error) {
        outcome.error = describe(error);
      }
    }
    for (let round = 0; round < plan.rounds; round++) {
      for (const index of rotation(contenders.length, round)) {
        const outcome = outcomes[index] as ContenderOutcome;
        const fork = forks.get(index);
        if (fork === undefined || outcome.error !== undefined) continue;
        try {
          const serverBefore = await server.cpuMicros();
          const { sample } = await fork.ask(
            { type: 'fork-turn', durationMs: plan.durationMs, maxOperations: plan.maxOperations },
            plan.durationMs + HANG_TIMEOUT_MS * 2,
          );
          const serverCpuMicros = (await server.cpuMicros()) - serverBefore;
          const measured: Sample = sample ?? failed(`${fork.what}: turn answered no sample`);
          outcome.samples.push({ ...measured, serverCpuMicros });
          if (measured.error !== undefined) outcome.error = measured.error;
          context.log(progress(scenario.name, round, outcome.name, measured));
        } catch (error) {
          outcome.error = describe(error);
        }
      }
    }
  } finally {
    await Promise.all(
      [...forks].map(async ([index, fork]) => {
        const outcome = outcomes[index] as ContenderOutcome;
        try {
          if (fork.child.exitCode === null && fork.child.signalCode === null) {
            await fork.ask({ type: 'fork-close' }, CLOSE_TIMEOUT_MS);
          }
        } catch (error) {
          if (outcome.error === undefined) outcome.error = `close: ${describe(error)}`;
        } finally {
          await context.children.kill(fork.child);
        }
      }),
    );
  }
}

function failed(error: string): Sample {
  return { sent: 0, completed: 0, failed: 1, elapsedMs: 0, cpuMicros: 0, bodyBytes: 0, error };
}

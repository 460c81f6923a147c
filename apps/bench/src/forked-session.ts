import type { ClientSession, Contender } from './contender.js';
import { type ContenderProfile, startContenderProfile } from './contender-profile.js';
import type { ForkAnswer, ForkCommand, ForkOpen, ForkWarmUp } from './fork-protocol.js';
import { isForkCommand } from './fork-protocol.js';
import { loadIsolatedContender } from './isolated-contender.js';
import { describe, runTurn, type Sample } from './measure.js';

interface Opened {
  readonly contender: Contender;
  readonly session: ClientSession;
  readonly job: ForkOpen;
  readonly profile: ContenderProfile | null;
}

/**
 * The child side of a forked contender (`fork-protocol.ts`): one contender,
 * one session, kept for the whole scenario. Each command is answered before
 * the harness sends the next; `fork-close` closes the session (the harness
 * then ends the process).
 * Every sample carries this process's id, so the harness (and its tests)
 * can see which process ran the turn.
 */
export function serveFork(first: ForkOpen): void {
  let opened: Opened | undefined;
  let queue = Promise.resolve();
  const handle = async (command: ForkCommand): Promise<Omit<ForkAnswer, 'type' | 'id'>> => {
    switch (command.type) {
      case 'fork-open': {
        if (opened !== undefined) return { error: 'already open' };
        const contender = await loadIsolatedContender(command.contender);
        const session = await contender.setup({ ...command.setup, origin: new URL(command.origin) });
        const profile = await startContenderProfile(command.contender);
        opened = { contender, session, job: command, profile };
        return {};
      }
      case 'fork-warm-up':
        if (opened === undefined) return { error: 'not open' };
        return { sample: withPid(await warmUp(opened, command)) };
      case 'fork-turn': {
        if (opened === undefined) return { error: 'not open' };
        const { job, contender, session } = opened;
        const sample = await runTurn(
          session,
          job.workload.operation,
          job.workload.expected,
          job.inFlight,
          {
            durationMs: command.durationMs,
            maxOperations: command.maxOperations,
            hangTimeoutMs: job.hangTimeoutMs,
          },
          contender.ceiling === true,
        );
        return { sample: withPid(sample) };
      }
      case 'fork-close': {
        const session = opened?.session;
        const profile = opened?.profile;
        opened = undefined;
        await session?.close();
        await profile?.stop();
        return {};
      }
    }
  };
  const answer = (command: ForkCommand) => {
    queue = queue
      .then(() => handle(command))
      .then(
        (result) => result,
        (error: unknown) => ({ error: describe(error) }),
      )
      .then((result) => {
        const message: ForkAnswer = { type: 'fork-answer', id: command.id, ...result };
        // After the close is answered the harness kills this process: exiting here could be seen
        // (as an exit) before the answer is read. Losing the harness still ends it ('disconnect').
        process.send?.(message);
      });
  };
  process.on('message', (message: unknown) => {
    if (isForkCommand(message)) answer(message);
  });
  answer(first);
}

function withPid(sample: Sample): Sample {
  return { ...sample, pid: process.pid };
}

/**
 * Unmeasured requests: first for the time minimum (capped at the maximum),
 * then, if fewer than the minimum operations completed, until the missing
 * ones have or the time cap has passed. Returns both parts summed (or the
 * failing part's error).
 */
async function warmUp(opened: Opened, command: ForkWarmUp): Promise<Sample> {
  const { job, contender, session } = opened;
  const warmup = job.workload.warmup ?? job.workload;
  const started = performance.now();
  let total: Sample = { sent: 0, completed: 0, failed: 0, elapsedMs: 0, cpuMicros: 0, bodyBytes: 0 };
  for (;;) {
    const elapsed = performance.now() - started;
    const belowTime = elapsed < command.minMs;
    const missing = command.minOperations - total.completed;
    if ((!belowTime && missing <= 0) || elapsed >= command.maxMs) return total;
    const part = await runTurn(
      session,
      warmup.operation,
      warmup.expected,
      job.inFlight,
      belowTime
        ? {
            durationMs: Math.min(command.minMs, command.maxMs) - elapsed,
            maxOperations: Number.MAX_SAFE_INTEGER,
            hangTimeoutMs: job.hangTimeoutMs,
          }
        : { durationMs: command.maxMs - elapsed, maxOperations: missing, hangTimeoutMs: job.hangTimeoutMs },
      contender.ceiling === true,
    );
    total = {
      sent: total.sent + part.sent,
      completed: total.completed + part.completed,
      failed: total.failed + part.failed,
      elapsedMs: total.elapsedMs + part.elapsedMs,
      cpuMicros: total.cpuMicros + part.cpuMicros,
      bodyBytes: total.bodyBytes + part.bodyBytes,
      error: part.error,
    };
    if (part.error !== undefined || part.sent === 0) return total;
  }
}

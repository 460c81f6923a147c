import { isForkCommand } from './fork-protocol.js';
import { serveFork } from './forked-session.js';
import { loadIsolatedContender } from './isolated-contender.js';
import { type IsolatedJob, type IsolatedMessage, isIsolatedJob } from './isolated-job.js';
import { describe, runTurn, type Sample, type TurnLimits } from './measure.js';
import { peakRssBytes, reachableBytes } from './process-memory.js';

/**
 * The entry of every contender child process, as plain JavaScript built by
 * `isolated-bundle.ts`. Request scenarios hand it to `forked-session.ts`.
 * Memory scenarios: one contender's turn in a process of its own: say
 * `ready`, take the job, set up, warm up, run one measured turn, report the
 * sample with this process's peak RSS, exit. Only this module, the measuring
 * loop and the one contender's chunk are loaded: the idle RSS is Node, those
 * modules and the set-up client.
 */
async function runJob(job: IsolatedJob): Promise<Sample> {
  const contender = await loadIsolatedContender(job.contender);
  const { plan, workload } = job;
  const ceiling = contender.ceiling === true;
  const limits: TurnLimits = {
    durationMs: plan.durationMs,
    maxOperations: plan.maxOperations,
    hangTimeoutMs: job.hangTimeoutMs,
  };
  const session = await contender.setup({ ...job.setup, origin: new URL(job.origin) });
  // Before any request: the part of the peak that is Node, the loaded modules and the idle client.
  const idleRssBytes = process.memoryUsage.rss();
  try {
    if (plan.warmupMs > 0) {
      const warmup = workload.warmup ?? workload;
      const sample = await runTurn(
        session,
        warmup.operation,
        warmup.expected,
        job.inFlight,
        { ...limits, durationMs: plan.warmupMs },
        ceiling,
      );
      if (sample.error !== undefined) return { ...sample, error: `warm-up: ${sample.error}`, idleRssBytes };
    }
    // A full collection first, so the warm-up's garbage is not counted as the turn's growth.
    const reachableBefore = reachableBytes();
    const rssBeforeBytes = process.memoryUsage.rss();
    const sample = await runTurn(
      session,
      workload.operation,
      workload.expected,
      job.inFlight,
      limits,
      ceiling,
    );
    const peak = peakRssBytes();
    const retainedBytes = reachableBytes() - reachableBefore;
    return { ...sample, peakRssBytes: peak, idleRssBytes, rssBeforeBytes, retainedBytes };
  } finally {
    await session.close();
  }
}

function failedSample(error: unknown): Sample {
  return {
    sent: 0,
    completed: 0,
    failed: 1,
    elapsedMs: 0,
    cpuMicros: 0,
    bodyBytes: 0,
    error: describe(error),
  };
}

function report(sample: Sample, exitCode: number): void {
  const message: IsolatedMessage = { type: 'sample', sample };
  process.send?.(message, () => process.exit(exitCode));
}

if (typeof process.send !== 'function') {
  throw new Error('isolated-turn runs as a child of the bench harness (no IPC channel)');
}
// The harness going away (IPC closed) ends the turn at once: nothing outlives the run.
process.on('disconnect', () => process.exit(1));
// The first message says what this process is: a one-turn memory job, or a contender forked
// for a whole request scenario (`forked-session.ts`), which answers commands until closed.
const onMessage = (message: unknown) => {
  if (isForkCommand(message) && message.type === 'fork-open') {
    process.off('message', onMessage);
    serveFork(message);
    return;
  }
  if (!isIsolatedJob(message)) return;
  process.off('message', onMessage);
  runJob(message).then(
    (sample) => report(sample, 0),
    (error: unknown) => report(failedSample(error), 1),
  );
};
process.on('message', onMessage);
const ready: IsolatedMessage = { type: 'ready' };
process.send(ready);

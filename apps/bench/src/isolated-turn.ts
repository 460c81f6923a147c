import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadContender } from './contenders.js';
import { describe, runTurn, type Sample } from './measure.js';
import type { IsolatedMessage } from './run-http-scenario.js';
import { setupOptions } from './run-http-scenario.js';
import type { Mode } from './scenario.js';
import { findScenario } from './scenarios/index.js';

/**
 * One contender's turn in a process of its own (forked by the harness for
 * memory scenarios): set up, warm up, run one measured turn, report the
 * sample with this process's peak RSS, exit. Arguments: scenario name,
 * contender name, mode, server origin.
 */
/**
 * A full garbage collection. This process is the harness's own child, started without
 * --expose-gc; the flag set at run time makes `gc` available to contexts created after it.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Bytes reachable from JS after a full collection: heap objects plus the buffers they hold. */
function reachableBytes(): number {
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

async function main(): Promise<Sample> {
  const [scenarioName = '', contenderName = '', modeArgument = 'quick', originArgument = ''] =
    process.argv.slice(2);
  const mode: Mode = modeArgument === 'full' ? 'full' : 'quick';
  const scenario = findScenario(scenarioName);
  if (scenario?.kind !== 'http') throw new Error(`No request scenario ${scenarioName}`);
  // Only this contender's module is loaded, so its peak RSS holds no other client's code.
  const contender = await loadContender(contenderName);
  const plan = scenario.plan(mode);
  const workload = scenario.workload(mode);
  const ceiling = contender.ceiling === true;
  const limits = { durationMs: plan.durationMs, maxOperations: plan.maxOperations, hangTimeoutMs: 120_000 };
  const session = await contender.setup(setupOptions(scenario, new URL(originArgument)));
  // Before any request: the part of the peak that is Node, the tsx loader and loaded modules.
  const idleRssBytes = process.memoryUsage.rss();
  try {
    if (plan.warmupMs > 0) {
      const warmup = workload.warmup ?? workload;
      const sample = await runTurn(
        session,
        warmup.operation,
        warmup.expected,
        scenario.inFlight,
        limits,
        ceiling,
      );
      if (sample.error !== undefined) return { ...sample, error: `warm-up: ${sample.error}`, idleRssBytes };
    }
    const reachableBefore = reachableBytes();
    const rssBeforeBytes = process.memoryUsage.rss();
    const sample = await runTurn(
      session,
      workload.operation,
      workload.expected,
      scenario.inFlight,
      limits,
      ceiling,
    );
    // maxRSS is in KiB (getrusage) and covers the whole life of this process.
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;
    const retainedBytes = reachableBytes() - reachableBefore;
    return { ...sample, peakRssBytes, idleRssBytes, rssBeforeBytes, retainedBytes };
  } finally {
    await session.close();
  }
}

process.on('disconnect', () => process.exit(1));
main().then(
  (sample) => {
    const message: IsolatedMessage = { type: 'sample', sample };
    process.send?.(message, () => process.exit(0));
  },
  (error: unknown) => {
    const sample: Sample = {
      sent: 0,
      completed: 0,
      failed: 1,
      elapsedMs: 0,
      cpuMicros: 0,
      bodyBytes: 0,
      error: describe(error),
    };
    const message: IsolatedMessage = { type: 'sample', sample };
    process.send?.(message, () => process.exit(1));
  },
);

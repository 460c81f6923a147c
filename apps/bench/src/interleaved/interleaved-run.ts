import { ChildProcesses } from '../child-processes.js';
import type { ClientSession, Contender } from '../contender.js';
import { loadContender } from '../contenders.js';
import { runTurn, type Sample } from '../measure.js';
import type { HttpScenario, Scenario, Workload } from '../scenario.js';
import { startServer } from '../servers/start-server.js';
import { POOL, STACK } from '../stack-cost.js';
import type { ScenarioCost } from './interleaved-report.js';
import { interleavedCost, type Round, stackGoesFirst, type Turn } from './interleaved-stats.js';

export interface InterleavedOptions {
  readonly rounds: number;
  /** Target length of one turn; the operations per turn are set from the pool's warm-up rate. */
  readonly turnMs: number;
  readonly warmupMs: number;
  readonly log: (line: string) => void;
}

/**
 * The scenarios the interleaved run can measure: requests (not bytes) over
 * loopback, no cache, and both the stack and the bare pool able to run them.
 */
export function eligible(scenario: Scenario, stack: Contender, pool: Contender): scenario is HttpScenario {
  return (
    scenario.kind === 'http' &&
    scenario.unit === 'requests' &&
    !scenario.traits.cache &&
    stack.supports(scenario.traits) &&
    pool.supports(scenario.traits)
  );
}

/**
 * x-client and x-pool in this one process against the scenario's server
 * (its own process), turn by turn: each round runs both for the same number
 * of requests, back to back, the first one alternating. Both share the
 * process, its JIT-compiled protocol and pool code and its load, so the
 * per-round ratio is what the layers add, with little else in it.
 */
export async function runInterleaved(
  scenario: HttpScenario,
  options: InterleavedOptions,
): Promise<ScenarioCost> {
  const children = new ChildProcesses();
  const sessions: ClientSession[] = [];
  const workload: Workload = scenario.workload('full');
  const inFlight = scenario.inFlight;
  let operations = 0;
  try {
    const server = await startServer(children, scenario.server);
    const setup = {
      origin: server.origin,
      connections: scenario.connections,
      pipelining: scenario.traits.pipelining,
      keepAlive: scenario.traits.keepAlive,
      cache: false,
    };
    const stack = await (await loadContender(STACK)).setup(setup);
    sessions.push(stack);
    const pool = await (await loadContender(POOL)).setup(setup);
    sessions.push(pool);
    const turn = async (session: ClientSession, limits: { durationMs: number; maxOperations: number }) =>
      checked(
        await runTurn(
          session,
          workload.operation,
          workload.expected,
          inFlight,
          { ...limits, hangTimeoutMs: 15_000 },
          false,
        ),
      );
    // Warm-up: both sides, twice, so neither meets a cold JIT or an empty pool in round 1.
    let rate = 0;
    for (let pass = 0; pass < 2; pass++) {
      await turn(stack, { durationMs: options.warmupMs, maxOperations: Number.MAX_SAFE_INTEGER });
      const warm = await turn(pool, { durationMs: options.warmupMs, maxOperations: Number.MAX_SAFE_INTEGER });
      rate = warm.operations / warm.elapsedMs;
    }
    operations = Math.max(inFlight, Math.round(rate * options.turnMs));
    const rounds: Round[] = [];
    const fixed = { durationMs: 60_000, maxOperations: operations };
    for (let round = 0; round < options.rounds; round++) {
      let stackTurn: Turn;
      let poolTurn: Turn;
      if (stackGoesFirst(round)) {
        stackTurn = await turn(stack, fixed);
        poolTurn = await turn(pool, fixed);
      } else {
        poolTurn = await turn(pool, fixed);
        stackTurn = await turn(stack, fixed);
      }
      rounds.push({ stack: stackTurn, pool: poolTurn });
    }
    const cost = interleavedCost(rounds);
    options.log(
      `${scenario.name}: ${rounds.length} rounds of ${operations} requests, throughput ratio ${cost?.throughput.median.toFixed(2) ?? '—'}`,
    );
    return { scenario: scenario.name, operations, inFlight, cost };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    options.log(`${scenario.name}: failed: ${message}`);
    return { scenario: scenario.name, operations, inFlight, cost: null, error: message };
  } finally {
    await Promise.allSettled(sessions.map((session) => session.close()));
    await children.killAll();
  }
}

/** A turn whose every response was complete and right, or an error saying what went wrong. */
function checked(sample: Sample): Turn {
  if (sample.failed > 0 || sample.error !== undefined) {
    throw new Error(`${sample.failed} of ${sample.sent} requests failed: ${sample.error ?? 'unknown'}`);
  }
  return { operations: sample.completed, elapsedMs: sample.elapsedMs, cpuMicros: sample.cpuMicros };
}

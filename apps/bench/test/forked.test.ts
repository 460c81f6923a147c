import { afterEach, describe, expect, it } from 'vitest';
import { ChildProcesses } from '../src/child-processes.js';
import type { Contender } from '../src/contender.js';
import { loadContender } from '../src/contenders.js';
import { runHttpScenario } from '../src/run-http-scenario.js';
import type { HttpScenario, Plan } from '../src/scenario.js';
import { smallGet } from '../src/scenarios/small-get.js';

/** True while a process with this id exists (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

describe('request scenarios with forked contenders', () => {
  const children = new ChildProcesses();
  afterEach(async () => {
    await children.killAll();
  });

  it('runs each contender in a process of its own, kept across rounds, and kills them all at the end', {
    timeout: 60_000,
  }, async () => {
    const contenders = await Promise.all(['raw-socket', 'undici-request', 'x-pool'].map(loadContender));
    // Two rounds, so the same process must serve a contender's second turn.
    const twoRounds: HttpScenario = {
      ...smallGet,
      plan: (): Plan => ({ rounds: 2, warmupMs: 0, durationMs: 5_000, maxOperations: 50 }),
    };
    const outcome = await runHttpScenario(twoRounds, contenders, { mode: 'quick', children, log: () => {} });
    // Nothing left running when the scenario returns: no fork, no server.
    expect(children.size).toBe(0);
    expect(outcome.contenderProcesses).toBe('fork-per-contender');
    const pids: number[] = [];
    for (const contender of outcome.contenders) {
      expect(contender.error, contender.name).toBeUndefined();
      expect(contender.samples, contender.name).toHaveLength(2);
      const [first, second] = contender.samples;
      expect(first?.completed, contender.name).toBe(50);
      expect(first?.pid, contender.name).toBeTypeOf('number');
      expect(second?.pid, contender.name).toBe(first?.pid);
      expect(first?.serverCpuMicros, contender.name).toBeTypeOf('number');
      pids.push(first?.pid as number);
    }
    expect(new Set(pids).size).toBe(3);
    expect(pids).not.toContain(process.pid);
    for (const pid of pids) expect(alive(pid), `process ${pid}`).toBe(false);
  });

  it('warms each fork up until it has the operations it needs, not just for the minimum time', {
    timeout: 60_000,
  }, async () => {
    const contender = await loadContender('x-pool');
    const lines: string[] = [];
    const warmedUp: HttpScenario = {
      ...smallGet,
      plan: (): Plan => ({
        rounds: 1,
        warmupMs: 1,
        warmupOperations: 400,
        warmupMaxMs: 20_000,
        durationMs: 5_000,
        maxOperations: 20,
      }),
    };
    const outcome = await runHttpScenario(warmedUp, [contender], {
      mode: 'quick',
      children,
      log: (line) => lines.push(line),
    });
    expect(outcome.contenders[0]?.error).toBeUndefined();
    const warmUp = lines.find((line) => line.includes('warm-up x-pool'));
    expect(warmUp).toBeDefined();
    const operations = Number(/: (\d+) in /.exec(warmUp ?? '')?.[1]);
    // At least the minimum (1 ms would allow a handful), and not far past it: it stops once met.
    expect(operations).toBeGreaterThanOrEqual(400);
    expect(operations).toBeLessThanOrEqual(400 + smallGet.inFlight);
    expect(children.size).toBe(0);
  });

  it('reports a contender whose process cannot set it up, and still leaves no process behind', {
    timeout: 60_000,
  }, async () => {
    const missing: Contender = {
      name: 'no-such-contender',
      description: 'not a file in src/contenders',
      supports: () => true,
      setup: () => Promise.reject(new Error('set up in the harness')),
    };
    const working = await loadContender('x-pool');
    const outcome = await runHttpScenario(smallGet, [missing, working], {
      mode: 'quick',
      children,
      log: () => {},
    });
    expect(children.size).toBe(0);
    const [failed, ran] = outcome.contenders;
    expect(failed?.error).toMatch(/^setup failed: .*no-such-contender/);
    expect(failed?.samples).toEqual([]);
    expect(ran?.error).toBeUndefined();
    expect(ran?.samples[0]?.completed).toBe(200);
  });

  it('runs everything in the harness process with sharedProcess, as before forks', {
    timeout: 60_000,
  }, async () => {
    const contenders = await Promise.all(['undici-request', 'x-pool'].map(loadContender));
    const outcome = await runHttpScenario(smallGet, contenders, {
      mode: 'quick',
      children,
      log: () => {},
      sharedProcess: true,
    });
    expect(outcome.contenderProcesses).toBe('shared');
    for (const contender of outcome.contenders) {
      expect(contender.error, contender.name).toBeUndefined();
      expect(contender.samples[0]?.completed, contender.name).toBe(200);
      expect(contender.samples[0]?.pid, contender.name).toBeUndefined();
    }
    expect(children.size).toBe(0);
  });
});

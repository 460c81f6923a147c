import { isDeepStrictEqual } from 'node:util';
import type { ClientSession, HttpOperation, OperationResult } from './contender.js';
import type { Expectation } from './scenario.js';

/** One contender's turn in one round. */
export interface Sample {
  /** Requests (or operations) started. */
  readonly sent: number;
  /** Responses that arrived complete and correct. */
  readonly completed: number;
  /** Requests that threw, or whose response was incomplete or wrong. */
  readonly failed: number;
  readonly elapsedMs: number;
  /** CPU time of the measuring process during the turn (user + system), in microseconds. */
  readonly cpuMicros: number;
  /** Response body bytes received. */
  readonly bodyBytes: number;
  /**
   * Peak resident set size of the process that ran the turn, over its whole life (isolated
   * scenarios only). On Linux VmHWM, not getrusage's maxRSS, which in a forked child starts at
   * the parent's size (`process-memory.ts`).
   */
  readonly peakRssBytes?: number | undefined;
  /**
   * Resident set size of the idle process: Node (plain, no loader), the bundled harness loop
   * and the contender's modules, its session set up, no request made yet (isolated scenarios
   * only). Peak RSS minus this is what using the client cost.
   */
  readonly idleRssBytes?: number | undefined;
  /** Resident set size just before the measured turn (after set-up and warm-up), isolated scenarios only. */
  readonly rssBeforeBytes?: number | undefined;
  /**
   * Memory the turn left reachable: JS heap plus buffers (heapUsed + external) after a full
   * garbage collection at the end of the turn, minus the same before it, with the session still
   * open (isolated scenarios only). Unlike RSS growth it leaves out garbage: what a cache holds.
   */
  readonly retainedBytes?: number | undefined;
  /** Id of the process that ran the turn, when it was a forked contender process (not the harness). */
  readonly pid?: number | undefined;
  /** CPU time the server process spent during the turn, in microseconds. */
  readonly serverCpuMicros?: number | undefined;
  /** The first error or wrong response, if any. */
  readonly error?: string | undefined;
}

export interface TurnLimits {
  readonly durationMs: number;
  readonly maxOperations: number;
  /** A turn still running this long after its duration ended is abandoned as hung. */
  readonly hangTimeoutMs: number;
}

/**
 * Checks one response against what the server sent. The first response of a
 * turn is compared in full (the whole JSON document); later ones by a cheap
 * fingerprint, so checking does not dominate what is measured. The ceiling
 * parses nothing: it checked the exact byte count itself.
 */
export function checkResult(
  result: OperationResult,
  expected: Expectation,
  options: { ceiling: boolean; thorough: boolean },
): string | null {
  if (result.status !== expected.status) return `status ${result.status}, expected ${expected.status}`;
  if (options.ceiling) return null;
  if (result.bodyBytes !== -1 && result.bodyBytes !== expected.bodyBytes) {
    return `${result.bodyBytes} body bytes, expected ${expected.bodyBytes}`;
  }
  if (expected.json !== undefined) {
    if (result.json === undefined) return 'no JSON value';
    if (
      options.thorough
        ? !isDeepStrictEqual(result.json, expected.json)
        : !sameShape(result.json, expected.json)
    ) {
      return 'decoded JSON differs from the document sent';
    }
  }
  if (expected.trailers !== undefined) {
    const trailers = result.trailers ?? {};
    for (const [name, value] of Object.entries(expected.trailers)) {
      if (trailers[name] !== value) return `trailer ${name}: ${String(trailers[name])}, expected ${value}`;
    }
  }
  return null;
}

function sameShape(actual: unknown, expected: unknown): boolean {
  const items = (value: unknown) =>
    typeof value === 'object' && value !== null && 'items' in value && Array.isArray(value.items)
      ? value.items.length
      : -1;
  return items(actual) === items(expected);
}

/**
 * Drives one session: keeps `inFlight` requests going until the duration or
 * the operation count runs out, then waits for the stragglers. Concurrency
 * is the harness's, not the client's: `inFlight` workers each await one
 * request at a time, so every client sees the same offered load.
 */
export async function runTurn(
  session: ClientSession,
  operation: HttpOperation,
  expected: Expectation,
  inFlight: number,
  limits: TurnLimits,
  ceiling: boolean,
): Promise<Sample> {
  let sent = 0;
  let completed = 0;
  let failed = 0;
  let bodyBytes = 0;
  let error: string | undefined;
  const started = performance.now();
  const deadline = started + limits.durationMs;
  const cpuBefore = process.cpuUsage();

  const worker = async () => {
    while (sent < limits.maxOperations && performance.now() < deadline && error === undefined) {
      sent++;
      try {
        const result = await session.request(
          operation.distinctUrls === true
            ? { ...operation, path: `${operation.path}?entry=${sent}` }
            : operation,
        );
        const problem = checkResult(result, expected, { ceiling, thorough: completed === 0 });
        if (problem === null) {
          completed++;
          bodyBytes += result.bodyBytes === -1 ? expected.bodyBytes : result.bodyBytes;
        } else {
          failed++;
          error ??= problem;
        }
      } catch (cause) {
        failed++;
        error ??= describe(cause);
      }
    }
  };

  const workers = Promise.all(Array.from({ length: inFlight }, worker));
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), limits.durationMs + limits.hangTimeoutMs);
  });
  const outcome = await Promise.race([workers.then(() => 'done' as const), hung]);
  clearTimeout(timer);
  const cpu = process.cpuUsage(cpuBefore);
  const elapsedMs = performance.now() - started;
  if (outcome === 'hung') {
    error ??= `hung: ${sent - completed - failed} requests unanswered ${limits.hangTimeoutMs} ms after the turn`;
    failed += sent - completed - failed;
  }
  return { sent, completed, failed, elapsedMs, cpuMicros: cpu.user + cpu.system, bodyBytes, error };
}

/** Runs a computation repeatedly for the turn's duration, checking every call's result. */
export function runMicroTurn(run: () => number, expectedCheck: number, limits: TurnLimits): Sample {
  let sent = 0;
  let completed = 0;
  let error: string | undefined;
  const started = performance.now();
  const deadline = started + limits.durationMs;
  const cpuBefore = process.cpuUsage();
  // Batches keep the clock reads from dominating sub-microsecond operations.
  const batch = 64;
  while (sent < limits.maxOperations && performance.now() < deadline && error === undefined) {
    const count = Math.min(batch, limits.maxOperations - sent);
    let sum = 0;
    try {
      for (let index = 0; index < count; index++) sum += run();
    } catch (cause) {
      error = describe(cause);
    }
    sent += count;
    if (error === undefined && sum !== expectedCheck * count) {
      error = `check ${sum / count}, expected ${expectedCheck}`;
    }
    if (error === undefined) completed += count;
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    sent,
    completed,
    failed: sent - completed,
    elapsedMs: performance.now() - started,
    cpuMicros: cpu.user + cpu.system,
    bodyBytes: 0,
    error,
  };
}

export function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}

/** Median, min and max of a list of numbers. */
export interface Stat {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function stat(values: readonly number[]): Stat | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

import { type Clock, createRequest, type HttpTransport, type RequestInit, systemClock } from '@x/core';
import { describe } from './assertions.js';
import { AREAS, type CaseContext, type ConformanceCase } from './case.js';
import { ALL_CASES } from './cases/index.js';
import type { Feature } from './features.js';
import {
  addToTotals,
  assembleReport,
  type CaseResult,
  type ConformanceReport,
  emptyTotals,
  type SubjectReport,
} from './result.js';
import { generateCertificates, type SuiteCertificates } from './servers/certificates.js';
import { type SuiteServers, startSuiteServers } from './servers/suite-servers.js';

/** What `create` gets: the suite's servers and the CA to trust for its HTTPS server. */
export interface CreateEnvironment {
  /** PEM of the CA that signed the HTTPS server's certificate. */
  readonly ca: string;
  /** Pin ("sha256/<base64>") of the trusted HTTPS server's key, for transports claiming "tls-policy". */
  readonly pin: string;
  readonly servers: SuiteServers;
}

/** A transport (or a stack of layers over one) to run the suite against. */
export interface TransportUnderTest {
  /** Column name in the matrix, e.g. "http1+redirect". */
  readonly name: string;
  /** What it claims; cases needing anything else are "not-claimed". */
  readonly features: readonly Feature[];
  /** A fresh transport; called once per case, closed by the runner after it. */
  create(environment: CreateEnvironment): HttpTransport | Promise<HttpTransport>;
  readonly description?: string;
}

export interface RunOptions {
  /** The cases to run (default: all). */
  readonly cases?: readonly ConformanceCase[];
  /** Per-case limit in ms when the case sets none (default 5000). */
  readonly timeLimit?: number;
  /** How long `close()` may take after a case (default 2000). */
  readonly closeLimit?: number;
  /** How long server-side sockets may take to close after `close()` (default 300). */
  readonly socketGrace?: number;
  /** Called as each case finishes (the CLI prints progress with it). */
  readonly onResult?: (subject: string, result: CaseResult) => void;
  /**
   * Time a column may spend in cases that time out, in ms (default 30 000).
   * Past it, its remaining claimed cases are not run and are reported as
   * "timeout": a transport that hangs on everything costs half a minute,
   * not 94 × 5 s.
   */
  readonly hangBudget?: number;
  readonly clock?: Clock;
}

const DEFAULT_TIME_LIMIT = 5000;
const SETUP_LIMIT = 15_000;

/** Runs the suite against one transport: the library entry point for third parties. */
export function runConformance(
  subject: TransportUnderTest,
  options: RunOptions = {},
): Promise<ConformanceReport> {
  return runMatrix([subject], options);
}

/**
 * Runs every case against every subject, one case at a time, so a socket
 * left open or a stray unhandled rejection is pinned on the case that caused
 * it. Each subject gets its own servers; each case its own transport (fresh
 * state, and a hang in one case cannot poison the next).
 */
export async function runMatrix(
  subjects: readonly TransportUnderTest[],
  options: RunOptions = {},
): Promise<ConformanceReport> {
  const clock = options.clock ?? systemClock();
  const started = clock.monotonic();
  const startedAt = new Date(clock.now()).toISOString();
  const cases = sortCases(options.cases ?? ALL_CASES);
  checkIds(cases);
  const rejections = new RejectionTrap();
  const reports: SubjectReport[] = [];
  let certificates: SuiteCertificates | undefined;
  let certificateError: string | undefined;
  try {
    certificates = await generateCertificates();
  } catch (error) {
    certificateError = describe(error);
  }
  rejections.install();
  try {
    for (const subject of subjects) {
      reports.push(
        await runSubject(subject, cases, certificates, certificateError, options, clock, rejections),
      );
    }
  } finally {
    rejections.uninstall();
  }
  return assembleReport({
    startedAt,
    durationMs: Math.round(clock.monotonic() - started),
    cases,
    subjects: reports,
  });
}

async function runSubject(
  subject: TransportUnderTest,
  cases: readonly ConformanceCase[],
  certificates: SuiteCertificates | undefined,
  certificateError: string | undefined,
  options: RunOptions,
  clock: Clock,
  rejections: RejectionTrap,
): Promise<SubjectReport> {
  const totals = emptyTotals();
  const base = { name: subject.name, description: subject.description, features: subject.features };
  if (!certificates) {
    return {
      ...base,
      results: [],
      totals,
      error: `certificates could not be generated: ${certificateError}`,
    };
  }
  let servers: SuiteServers;
  try {
    servers = await startSuiteServers(certificates);
  } catch (error) {
    return { ...base, results: [], totals, error: `servers did not start: ${describe(error)}` };
  }
  // One transport made and closed up front: a column whose create() throws (a package broken
  // in the tree, a bad option) is reported once as a setup failure instead of once per case.
  const setup = await withinLimit(
    (async () => {
      const transport = await subject.create({
        ca: servers.certificates.ca,
        pin: servers.certificates.pin,
        servers,
      });
      await transport.close();
    })(),
    // The first create() may load and compile a whole package graph from source: be generous.
    SETUP_LIMIT,
    clock,
  );
  if (setup.kind !== 'done') {
    await servers.close();
    const why = setup.kind === 'error' ? describe(setup.error) : 'did not settle';
    return { ...base, results: [], totals, error: `create() or close() failed before any case: ${why}` };
  }
  const results: CaseResult[] = [];
  const hangBudget = options.hangBudget ?? 30_000;
  let hung = 0;
  try {
    for (const item of cases) {
      const result =
        hung >= hangBudget && claims(subject, item)
          ? {
              id: item.id,
              area: item.area,
              title: item.title,
              status: 'timeout' as const,
              durationMs: 0,
              message: `not run: the column already spent ${Math.round(hung / 1000)} s in cases that timed out`,
            }
          : await runCase(item, subject, servers, options, clock, rejections);
      if (result.status === 'timeout') hung += result.durationMs;
      addToTotals(totals, result.status);
      results.push(result);
      options.onResult?.(subject.name, result);
    }
  } finally {
    await servers.close();
  }
  return { ...base, results, totals };
}

type Settled = { kind: 'done' } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

/** Settles with the promise's outcome, or "timeout" after `ms`; never rejects. */
function withinLimit(promise: Promise<unknown>, ms: number, clock: Clock): Promise<Settled> {
  return new Promise((resolve) => {
    const timer = clock.setTimer(() => resolve({ kind: 'timeout' }), ms);
    promise.then(
      () => {
        timer.cancel();
        resolve({ kind: 'done' });
      },
      (error: unknown) => {
        timer.cancel();
        resolve({ kind: 'error', error });
      },
    );
  });
}

async function runCase(
  item: ConformanceCase,
  subject: TransportUnderTest,
  servers: SuiteServers,
  options: RunOptions,
  clock: Clock,
  rejections: RejectionTrap,
): Promise<CaseResult> {
  const summary = { id: item.id, area: item.area, title: item.title };
  const missing = item.requires.filter((feature) => !subject.features.includes(feature));
  if (missing.length > 0) {
    return {
      ...summary,
      status: 'not-claimed',
      durationMs: 0,
      message: `needs ${missing.join(', ')}`,
      missing,
    };
  }
  const start = clock.monotonic();
  const limit = item.timeLimit ?? options.timeLimit ?? DEFAULT_TIME_LIMIT;
  const controller = new AbortController();
  const problems: string[] = [];
  let status: CaseResult['status'] = 'pass';
  let transport: HttpTransport | undefined;
  rejections.begin();

  const work = (async () => {
    transport = await subject.create({ ca: servers.certificates.ca, pin: servers.certificates.pin, servers });
    await item.run(createContext(transport, servers, controller.signal));
  })();
  const outcome = await withinLimit(work, limit, clock);
  if (outcome.kind === 'timeout') {
    status = 'timeout';
    problems.push(`no result within ${limit} ms`);
    controller.abort(new Error(`conformance case ${item.id} reached its ${limit} ms time limit`));
  } else if (outcome.kind === 'error') {
    status = 'fail';
    problems.push(describe(outcome.error));
  }

  // Close whatever the case opened, even after a hang: that is how a hung transport is stopped.
  if (transport) {
    const opened = transport;
    const closed = await withinLimit(
      Promise.resolve().then(() => opened.close()),
      options.closeLimit ?? 2000,
      clock,
    );
    if (closed.kind === 'timeout') problems.push('close() did not settle');
    if (closed.kind === 'error') problems.push(`close() rejected: ${describe(closed.error)}`);
    if (closed.kind !== 'done' && status === 'pass') status = 'fail';
  }
  const leftOpen = await socketsClosed(servers, options.socketGrace ?? 300, clock);
  if (leftOpen > 0) {
    problems.push(`${leftOpen} server-side socket(s) still open after close()`);
    if (status === 'pass') status = 'fail';
  }
  // Node reports unhandled rejections after the microtask queue drains: give it one macrotask turn.
  await new Promise<void>((resolve) => clock.setTimer(resolve, 0));
  const stray = rejections.end();
  if (stray.length > 0) {
    problems.push(`unhandled rejection: ${stray.join('; ')}`);
    if (status === 'pass') status = 'fail';
  }
  return {
    ...summary,
    status,
    durationMs: Math.round(clock.monotonic() - start),
    message: problems.length > 0 ? problems.join('; ') : undefined,
  };
}

function createContext(transport: HttpTransport, servers: SuiteServers, signal: AbortSignal): CaseContext {
  const request = (init: RequestInit) =>
    createRequest({ ...init, signal: init.signal ? AbortSignal.any([signal, init.signal]) : signal });
  return {
    transport,
    servers,
    signal,
    request,
    send: (init) => transport.request(request(init)),
  };
}

/** Waits until every server-side socket closed; returns how many are still open after `grace`. */
async function socketsClosed(servers: SuiteServers, grace: number, clock: Clock): Promise<number> {
  const deadline = clock.monotonic() + grace;
  while (servers.openSockets() > 0 && clock.monotonic() < deadline) {
    await new Promise<void>((resolve) => clock.setTimer(resolve, 10));
  }
  const open = servers.openSockets();
  // Reset for the next case, so one leak is reported once.
  if (open > 0) servers.destroySockets();
  return open;
}

/**
 * Collects unhandled rejections while a case runs (SECURITY.md §21: nothing
 * escapes as an unhandled rejection). The listener is installed only for
 * the duration of a run and removed after.
 */
class RejectionTrap {
  #collected: string[] = [];
  readonly #listener = (reason: unknown) => {
    this.#collected.push(describe(reason));
  };

  install(): void {
    process.on('unhandledRejection', this.#listener);
  }

  uninstall(): void {
    process.off('unhandledRejection', this.#listener);
  }

  begin(): void {
    this.#collected = [];
  }

  end(): string[] {
    const collected = this.#collected;
    this.#collected = [];
    return collected;
  }
}

function sortCases(cases: readonly ConformanceCase[]): ConformanceCase[] {
  return [...cases].sort((a, b) => AREAS.indexOf(a.area) - AREAS.indexOf(b.area));
}

function claims(subject: TransportUnderTest, item: ConformanceCase): boolean {
  return item.requires.every((feature) => subject.features.includes(feature));
}

function checkIds(cases: readonly ConformanceCase[]): void {
  const seen = new Set<string>();
  for (const item of cases) {
    if (seen.has(item.id)) throw new Error(`Duplicate conformance case id ${item.id}`);
    seen.add(item.id);
  }
}

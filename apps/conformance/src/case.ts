import type { HttpRequest, HttpResponse, HttpTransport, RequestInit } from '@x/core';
import type { Feature } from './features.js';
import type { SuiteServers } from './servers/suite-servers.js';

/** Rows of the matrix are grouped by area, in this order. */
export const AREAS = [
  'methods-and-bodies',
  'status-and-headers',
  'response-bodies',
  'no-body-responses',
  'interim-responses',
  'abort-and-timeouts',
  'connection-errors',
  'framing',
  'tls',
  'connections',
  'redirects',
  'cache',
  'decoding',
  'retries',
  'cookies',
] as const;

export type Area = (typeof AREAS)[number];

/** What a case gets: a fresh transport, the suite's servers, and a signal that fires at its time limit. */
export interface CaseContext {
  readonly transport: HttpTransport;
  readonly servers: SuiteServers;
  /** Aborted when the case reaches its time limit; `request()` already merges it in. */
  readonly signal: AbortSignal;
  /** `createRequest(init)` with the case's signal merged into `init.signal`. */
  request(init: RequestInit): HttpRequest;
  /** `transport.request(request(init))`. */
  send(init: RequestInit): Promise<HttpResponse>;
}

export interface ConformanceCase {
  /** Stable, unique, "area/short-name". */
  readonly id: string;
  readonly area: Area;
  readonly title: string;
  /** Every feature the transport must claim for this case to run. */
  readonly requires: readonly Feature[];
  /** Milliseconds before the case is stopped and reported as "timeout" (default: the runner's). */
  readonly timeLimit?: number;
  /** Throws (node:assert) on failure. Must consume or cancel every body it receives. */
  run(context: CaseContext): Promise<void>;
}

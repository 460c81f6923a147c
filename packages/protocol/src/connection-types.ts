import type { Clock, HttpClientError } from '@x/core';
import type { DrainOnCancelOptions } from './body-drain.js';
import type { ConnectionTimeouts } from './phase-timeouts.js';
import type { ResponseParserOptions } from './response-parser.js';

/** The public shapes of `Http1Connection`: its options, per-call context, events and close report. */

export interface Http1ConnectionOptions extends ResponseParserOptions {
  /** Identifies the connection in `meta.connection.id` and logs; the creator numbers them. Default 0. */
  id?: number | undefined;
  clock?: Clock | undefined;
  /** Requests written before earlier responses arrived (pipelining). Default 1: none. */
  maxPipelined?: number | undefined;
  /** After this many exchanges the connection closes. Default Infinity. */
  maxRequests?: number | undefined;
  /** Defaults for the per-request `options.timeout` phases this layer enforces. */
  timeouts?: ConnectionTimeouts | undefined;
  /** How long to wait for 100 Continue before sending the body anyway. Default 1000 ms. */
  expectContinueTimeout?: number | undefined;
  /** Cap for the response bodies' `bytes()`/`text()`/`json()`. Default @x/core's 64 MiB. */
  bufferLimit?: number | undefined;
  /** Monotonic time the socket became connected, for `meta.timings.connected`. */
  connectedAt?: number | undefined;
  /**
   * When a body is cancelled with little left, read and discard the rest so
   * the connection stays reusable. Default `{ maxBytes: 64 KiB, timeout: 1000 ms }`;
   * `false` (or `maxBytes: 0`) closes the connection on every cancel.
   */
  drainOnCancel?: DrainOnCancelOptions | false | undefined;
}

/** Per-call context from the layer that made the connection. */
export interface Http1RequestContext {
  /** Monotonic time the exchange began (before connecting), for the total deadline and timings. */
  startedAt?: number | undefined;
}

export interface ConnectionCloseInfo {
  /** Why it closed; null for a graceful close or a clean end after the last response. */
  readonly error: HttpClientError | null;
  readonly requestCount: number;
  /**
   * True when an exchange was waiting for its response and not one byte of it
   * had arrived: the signature of a stale keep-alive connection (RFC 9112 §9.3.1).
   */
  readonly beforeResponse: boolean;
}

export interface Http1ConnectionEvents {
  /** No exchange in flight and the connection may carry another. */
  idle: [];
  /** The socket is gone (emitted once). */
  close: [ConnectionCloseInfo];
}

import { HttpClientError, type HttpRequest } from '@x/core';
import type { ResponseFraming } from './framing.js';

/**
 * Reading and discarding the rest of a cancelled response body so its
 * connection can carry the next request (RFC 9112 §9.3: a connection is
 * reusable only once the previous response was read to its end). Cheaper
 * than a new connection when little is left; bounded so a cancelled body
 * never costs more than a few round trips and a few KiB.
 */
export interface DrainOnCancelOptions {
  /**
   * Most bytes read from the wire to finish a cancelled body. A known
   * remaining Content-Length above it closes at once; a chunked body that
   * goes past it is closed then. Default 64 KiB; 0 turns draining off.
   */
  maxBytes?: number | undefined;
  /** Longest time the drain may take, in ms, before the connection is closed. Default 1000. */
  timeout?: number | undefined;
}

export interface DrainSettings {
  readonly maxBytes: number;
  readonly timeout: number;
}

export const DEFAULT_DRAIN_ON_CANCEL: DrainSettings = Object.freeze({ maxBytes: 64 * 1024, timeout: 1000 });

/**
 * The bounds in force, or null when draining is off. Read as own properties
 * (SECURITY.md rule 4). A bound that is not a finite number ≥ 0 turns
 * draining off: closing is always safe, an unbounded drain never is.
 */
export function drainSettings(option: DrainOnCancelOptions | false | undefined): DrainSettings | null {
  if (option === undefined || (option as unknown) === true) return DEFAULT_DRAIN_ON_CANCEL;
  // false turns it off; so does anything else that is not an options object (null from JavaScript).
  if (typeof option !== 'object' || option === null) return null;
  const maxBytes = Object.hasOwn(option, 'maxBytes') ? option.maxBytes : undefined;
  const timeout = Object.hasOwn(option, 'timeout') ? option.timeout : undefined;
  const settings = {
    maxBytes: maxBytes ?? DEFAULT_DRAIN_ON_CANCEL.maxBytes,
    timeout: timeout ?? DEFAULT_DRAIN_ON_CANCEL.timeout,
  };
  if (!isBound(settings.maxBytes) || !isBound(settings.timeout) || settings.maxBytes === 0) return null;
  return settings;
}

function isBound(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * How many more wire bytes the drain may read, or null when the body must
 * not be drained: a close-delimited body only ends with the connection,
 * and a known remainder above the bound is not worth waiting for.
 */
export function drainBudget(
  framing: ResponseFraming,
  bodyBytes: number,
  settings: DrainSettings,
): number | null {
  if (framing.kind === 'length') {
    const remaining = (framing.length ?? 0) - bodyBytes;
    return remaining <= settings.maxBytes ? settings.maxBytes : null;
  }
  if (framing.kind === 'chunked') return settings.maxBytes;
  return null;
}

export type DrainFailure = 'limit' | 'timeout';

/** Why a drained connection was closed after all: the cancel, with what stopped the drain. */
export function drainFailedError(
  request: HttpRequest,
  reason: unknown,
  failure: DrainFailure,
  drainedBytes: number,
): HttpClientError {
  return new HttpClientError(
    'ABORTED',
    `The response body was cancelled and its rest not drained (${failure})`,
    {
      method: request.method,
      url: request.url,
      cause: reason,
      details: { drain: failure, drainedBytes },
    },
  );
}

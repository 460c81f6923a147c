import { HttpClientError, type HttpRequest, type TimeoutPhase } from '@x/core';

/** Defaults for per-phase deadlines (SECURITY.md rule 17: finite by default). */
export const DEFAULT_CONNECTION_TIMEOUTS = Object.freeze({ headers: 60_000, bodyIdle: 60_000 });

export interface ConnectionTimeouts {
  headers?: number | undefined;
  bodyIdle?: number | undefined;
  total?: number | undefined;
}

/** The request's own deadline for a phase, else the connection's, else the default (none for total). */
export function phaseTimeout(
  request: HttpRequest,
  defaults: ConnectionTimeouts | undefined,
  phase: 'headers' | 'bodyIdle' | 'total',
): number | undefined {
  // Nested caller objects are read by own properties only (SECURITY.md rule 4):
  // core protects only the top level of request.options, so an inherited
  // Object.prototype.headers must not stretch the head deadline.
  const own = ownOption(request.options.timeout, phase);
  if (own !== undefined) return own;
  const configured = ownOption(defaults, phase);
  if (configured !== undefined) return configured;
  return phase === 'total' ? undefined : DEFAULT_CONNECTION_TIMEOUTS[phase];
}

/** `object[key]` when it is the object's own property, else undefined (SECURITY.md rule 4). */
export function ownOption<T extends object, K extends keyof T>(
  object: T | undefined,
  key: K,
): T[K] | undefined {
  return object !== undefined && object !== null && Object.hasOwn(object, key) ? object[key] : undefined;
}

export function timeoutError(
  request: HttpRequest,
  phase: TimeoutPhase,
  requestSent: boolean,
): HttpClientError {
  return new HttpClientError('TIMEOUT', `Timed out (${phase})`, {
    method: request.method,
    url: request.url,
    requestSent,
    phase,
  });
}

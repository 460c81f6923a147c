import { HttpClientError, type HttpRequest } from '@x/core';
import { IDEMPOTENT_METHODS } from './pool-options.js';

export type StaleRetryDecision =
  | { readonly resend: true; readonly reason: string }
  | { readonly resend: false; readonly reason: string };

/**
 * Whether a request that failed on a connection should be sent again on a
 * fresh one (RFC 9112 §9.3.1). A server may close a keep-alive connection at
 * any moment; a request written just then fails without any response byte.
 * That is "stale connection", not a server verdict, and a new connection
 * usually succeeds. Resending is allowed once, and only when it cannot do
 * harm:
 * - nothing reached the server (`requestSent: false`) — always safe; or
 * - the connection had carried an earlier exchange, no response byte
 *   arrived, and the request is idempotent or carries an Idempotency-Key;
 * - and the body, if any, can be produced again.
 * Pure; the pool only acts on it.
 */
export function decideStaleRetry(
  request: HttpRequest,
  error: unknown,
  reused: boolean,
  attempt: number,
): StaleRetryDecision {
  if (attempt > 1) return { resend: false, reason: 'already resent once' };
  if (!HttpClientError.is(error)) return { resend: false, reason: 'not a transport error' };
  if (error.code !== 'CONNECTION_CLOSED')
    return { resend: false, reason: `${error.code} is not a stale-connection failure` };
  if (request.signal?.aborted) return { resend: false, reason: 'aborted' };
  if (request.body !== null && !request.body.replayable)
    return { resend: false, reason: 'body cannot be replayed' };
  if (!error.requestSent) return { resend: true, reason: 'the request never reached the server' };
  if (!reused) return { resend: false, reason: 'a fresh connection failed: not stale' };
  if (error.details.responseStarted === true || Number(error.details.bytesReceived ?? 0) > 0) {
    return { resend: false, reason: 'the server had started to answer' };
  }
  const idempotent =
    IDEMPOTENT_METHODS.has(request.method.toUpperCase()) || request.headers.has('idempotency-key');
  if (!idempotent)
    return { resend: false, reason: `${request.method} is not idempotent and may have been processed` };
  return { resend: true, reason: 'stale keep-alive connection' };
}

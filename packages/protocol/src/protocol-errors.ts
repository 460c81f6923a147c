import { HttpClientError } from '@x/core';

/**
 * Errors raised while reading a response. They are built before the
 * transport knows the request, so method and URL are filled in later with
 * `withRequest`; `requestSent` is true because a response byte arrived.
 */

/** A response broke an HTTP/1.1 rule; `rule` is a stable kebab-case name listed in the README. */
export function protocolError(
  rule: string,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): HttpClientError {
  return new HttpClientError('PROTOCOL_ERROR', `${message} [${rule}]`, { rule, details, requestSent: true });
}

/** A response exceeded a configured bound; `details.limit` names the option. */
export function limitError(limit: string, max: number, message: string): HttpClientError {
  return new HttpClientError('LIMIT_EXCEEDED', `${message} (limit ${limit} = ${max})`, {
    details: { limit, max },
    requestSent: true,
  });
}

/** The peer closed (or reset) before the response was complete. */
export function closedError(message: string, details: Readonly<Record<string, unknown>>, cause?: unknown) {
  return new HttpClientError('CONNECTION_CLOSED', message, { details, cause, requestSent: true });
}

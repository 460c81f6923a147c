import { HttpClientError } from '@x/core';
import { tlsFailure } from './errors.js';
import { classifyHandshakeError } from './verdict.js';

/**
 * The errors of the connect phase other than a failed verdict. All carry
 * `requestSent: false`: the connector never writes a request byte.
 */

export interface Where {
  readonly host: string;
  readonly port: number;
  readonly servername: string | undefined;
}

const DNS_ERROR_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const CLOSED_DURING_HANDSHAKE =
  'the server closed the connection during the handshake (does it require a client certificate, or speak TLS at all?)';

export function notHttpsError(where: Where): HttpClientError {
  return new HttpClientError('INVALID_REQUEST', 'tlsConnector only connects https: targets', {
    requestSent: false,
    details: { host: where.host, port: where.port },
  });
}

export function connectTimeoutError(
  where: Where,
  stage: 'connect' | 'tls-handshake',
  ms: number,
): HttpClientError {
  const what = stage === 'connect' ? 'Connecting to' : 'The TLS handshake with';
  return new HttpClientError('TIMEOUT', `${what} ${where.host}:${where.port} took longer than ${ms} ms`, {
    requestSent: false,
    phase: 'connect',
    details: { ...where, stage },
  });
}

/** A socket error: DNS or TCP before the handshake started, a TLS failure after. */
export function socketError(where: Where, error: Error, handshakeStarted: boolean): HttpClientError {
  const code = (error as NodeJS.ErrnoException).code;
  if (!handshakeStarted) {
    const dns = code !== undefined && DNS_ERROR_CODES.has(code);
    return new HttpClientError(
      dns ? 'DNS_FAILED' : 'CONNECT_FAILED',
      `${dns ? 'Cannot resolve' : 'Cannot connect to'} ${where.host}:${where.port}: ${error.message}`,
      { requestSent: false, cause: error, details: { ...where, code } },
    );
  }
  const reason = code === 'ECONNRESET' || code === 'EPIPE' ? CLOSED_DURING_HANDSHAKE : error.message;
  return tlsFailure(classifyHandshakeError(code), reason, { ...where, reasonCode: code }, error);
}

/** The socket closed without an error before the verdict. */
export function closedError(where: Where, handshakeStarted: boolean): HttpClientError {
  if (handshakeStarted) return tlsFailure('handshake', CLOSED_DURING_HANDSHAKE, { ...where });
  return new HttpClientError('CONNECT_FAILED', `Connection to ${where.host}:${where.port} closed`, {
    requestSent: false,
    details: { ...where },
  });
}

import { HttpClientError, type HttpRequest } from '@x/core';
import { systemCode } from './connect-errors.js';

/**
 * A TLS failure reported on the stream after the connector resolved. In
 * TLS 1.3 the client finishes its handshake first (RFC 8446 §4.4.4) and the
 * server checks the client's certificate flight afterwards, so a refusal
 * (RFC 8446 §4.4.2.4, §6.2: certificate_required, bad_certificate,
 * unknown_ca...) arrives as an alert while the request is already going out.
 * Node names these errors `ERR_SSL_..._ALERT_...`; other OpenSSL and
 * node:tls failures start with `ERR_SSL_` or `ERR_TLS_`.
 */
export function isTlsStreamError(error: unknown): boolean {
  const code = systemCode(error);
  if (code === undefined) return false;
  return code.includes('ALERT') || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_');
}

/**
 * Alerts a server sends when it rejects the handshake itself: after one of
 * these its TLS layer never hands application data to the HTTP server.
 */
const HANDSHAKE_REFUSAL =
  /ALERT_(?:[A-Z_]*CERTIFICATE[A-Z_]*|UNKNOWN_CA|HANDSHAKE_FAILURE|ACCESS_DENIED|DECRYPT_ERROR|INSUFFICIENT_SECURITY|PROTOCOL_VERSION|INAPPROPRIATE_FALLBACK|NO_APPLICATION_PROTOCOL)$/;

/**
 * TLS_FAILED for a TLS error on an established stream, the original as
 * `cause`. `requestSent` is false only when it cannot have been processed:
 * the alert is a handshake refusal and not one byte ever arrived on this
 * connection (a server that completed its side of the handshake and
 * answered would have sent something first). Otherwise the answer is the
 * exchange's own (true once a byte was handed to the socket): the unsafe
 * answer when we cannot know.
 */
export function tlsStreamError(
  error: unknown,
  request: HttpRequest | undefined,
  exchangeRequestSent: boolean,
  receivedAny: boolean,
): HttpClientError {
  const code = systemCode(error) ?? 'unknown';
  const refusedHandshake = HANDSHAKE_REFUSAL.test(code) && !receivedAny;
  return new HttpClientError('TLS_FAILED', `TLS failed on an established connection: ${code}`, {
    method: request?.method,
    url: request?.url,
    requestSent: refusedHandshake ? false : exchangeRequestSent,
    cause: error,
    details: { check: 'handshake-alert', reasonCode: code },
  });
}

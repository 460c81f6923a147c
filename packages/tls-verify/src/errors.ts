import { HttpClientError } from '@x/core';
import type { CertificateSummary } from './certificate-summary.js';

/**
 * Which check a TLS_FAILED error is about (`error.details.check`):
 * - untrusted-root:   the chain does not lead to a certificate of the trust store
 * - expired / not-yet-valid: a certificate of the chain is outside its validity period
 * - chain:            any other chain failure OpenSSL reported (bad signature, not a CA...)
 * - hostname:         no subjectAltName matches the host (RFC 9525)
 * - pin:              no certificate of the verified chain has a configured pin
 * - protocol-version: client and server share no TLS version (the minimum is TLS 1.2)
 * - handshake-alert:  the server ended the handshake with an alert (e.g. it wanted a client certificate)
 * - handshake:        the handshake failed otherwise (closed, reset, not TLS at all)
 */
export type TlsCheck =
  | 'untrusted-root'
  | 'expired'
  | 'not-yet-valid'
  | 'chain'
  | 'hostname'
  | 'pin'
  | 'protocol-version'
  | 'handshake-alert'
  | 'handshake';

export interface TlsFailureDetails {
  readonly host: string;
  readonly port: number;
  readonly servername?: string | undefined;
  /** The chain the server presented, leaf first (empty when the handshake failed before it). */
  readonly chain?: readonly CertificateSummary[] | undefined;
  /** OpenSSL's verify error code (CERT_HAS_EXPIRED...) or Node's error code. */
  readonly reasonCode?: string | undefined;
  readonly [key: string]: unknown;
}

/** A TLS_FAILED error: nothing was written, the message says what failed and what was presented. */
export function tlsFailure(
  check: TlsCheck,
  reason: string,
  details: TlsFailureDetails,
  cause?: unknown,
): HttpClientError {
  const where = `${details.host}:${details.port}`;
  const chain = details.chain ?? [];
  const chainText =
    chain.length === 0
      ? ''
      : `; chain presented: ${chain
          .map(
            (certificate, index) =>
              `[${index}] ${certificate.subject} (SHA-256 ${certificate.fingerprint256})`,
          )
          .join(' <- ')}`;
  return new HttpClientError('TLS_FAILED', `TLS ${check} check failed for ${where}: ${reason}${chainText}`, {
    requestSent: false,
    cause,
    details: { check, ...details, chain },
  });
}

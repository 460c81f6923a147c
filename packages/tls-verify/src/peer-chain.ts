import type tls from 'node:tls';
import type { CertificateSummary } from './certificate-summary.js';

/** The chain as Node linked it: leaf first, each certificate followed by its issuer, the trust anchor last. */
export function peerChain(socket: tls.TLSSocket): Uint8Array[] {
  const chain: Uint8Array[] = [];
  const seen = new Set<string>();
  let current: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  // A self-signed root is its own issuer: the fingerprint set ends the walk.
  while (current?.raw !== undefined && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(new Uint8Array(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

/** Node types authorizationError as an Error but sets OpenSSL's code string ("CERT_HAS_EXPIRED"). */
export function verifyErrorCode(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Error) {
    const code = (value as NodeJS.ErrnoException).code;
    return typeof code === 'string' ? code : value.message;
  }
  return undefined;
}

/** Epoch ms when the first certificate of the chain expires. */
export function earliestExpiry(chain: readonly CertificateSummary[]): number {
  return chain.reduce(
    (earliest, certificate) => Math.min(earliest, Date.parse(certificate.validTo)),
    Infinity,
  );
}

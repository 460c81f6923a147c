import { type ErrorCode, HttpClientError } from '@x/core';

/**
 * Maps what node:http throws to the @x error family. Node's codes come from
 * libuv (ECONNREFUSED...), getaddrinfo (ENOTFOUND, EAI_AGAIN), OpenSSL
 * verification (DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID...)
 * and llhttp (HPE_*).
 */
export function fromNodeError(
  error: unknown,
  context: { method: string; url: URL; requestSent: boolean },
): HttpClientError {
  if (HttpClientError.is(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  const kind = classify(code);
  const requestSent =
    kind === 'CONNECT_FAILED' || kind === 'DNS_FAILED' || kind === 'TLS_FAILED' ? false : context.requestSent;
  return new HttpClientError(kind, `${kind}: ${message}`, {
    method: context.method,
    url: context.url,
    requestSent,
    cause: error,
    rule: kind === 'PROTOCOL_ERROR' ? code : undefined,
    details:
      kind === 'TLS_FAILED'
        ? { check: code }
        : kind === 'LIMIT_EXCEEDED'
          ? { limit: 'headerBytes' }
          : undefined,
  });
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
]);

function classify(code: string): ErrorCode {
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'CONNECT_FAILED';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'DNS_FAILED';
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || TLS_CODES.has(code)) return 'TLS_FAILED';
  if (code === 'HPE_HEADER_OVERFLOW') return 'LIMIT_EXCEEDED';
  if (code.startsWith('HPE_')) return 'PROTOCOL_ERROR';
  return 'CONNECTION_CLOSED';
}

import { HttpClientError } from '@x/core';

/** Error codes Node gives when a name does not resolve (getaddrinfo). */
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);

/** The system error code of `error`, looking inside the AggregateError that happy eyeballs produces. */
export function systemCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner))
    for (const item of inner) {
      const found = systemCode(item);
      if (found !== undefined) return found;
    }
  return undefined;
}

/** Maps a socket error during connect to DNS_FAILED or CONNECT_FAILED (never sent: `requestSent: false`). */
export function connectError(error: unknown, host: string, port: number): HttpClientError {
  if (HttpClientError.is(error)) return error;
  const code = systemCode(error);
  if (code !== undefined && DNS_CODES.has(code)) {
    return new HttpClientError('DNS_FAILED', `Could not resolve ${host} (${code})`, {
      requestSent: false,
      cause: error,
      details: { host, systemCode: code },
    });
  }
  return new HttpClientError(
    'CONNECT_FAILED',
    `Could not connect to ${host}:${port}${code ? ` (${code})` : ''}`,
    {
      requestSent: false,
      cause: error,
      details: { host, port, systemCode: code },
    },
  );
}

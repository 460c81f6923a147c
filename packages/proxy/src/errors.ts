import { HttpClientError } from '@x/core';

declare module '@x/core' {
  interface ErrorCodes {
    /**
     * The proxy would not open a tunnel: it answered CONNECT with a non-2xx
     * status (`details.status`, e.g. 407, 403, 502), a SOCKS5 proxy refused
     * (`details.socksReply`) or broke its protocol, or it closed before answering.
     * Nothing reached the origin (`requestSent: false`).
     */
    PROXY_FAILED: true;
  }
}

export interface ProxyFailureDetails {
  /** The proxy URL without credentials. */
  readonly proxy: string;
  /** "host:port" the tunnel was asked for. */
  readonly target: string;
  /** The proxy's status to CONNECT; undefined when it closed or broke HTTP before a status. */
  readonly status?: number | undefined;
  readonly reason?: string | undefined;
  /** The proxy's Proxy-Authenticate challenges on a 407 (RFC 9110 §11.7.1). */
  readonly proxyAuthenticate?: readonly string[] | undefined;
  /** A SOCKS5 proxy's non-zero REP code and its RFC 1928 §6 meaning. */
  readonly socksReply?: { readonly code: number; readonly meaning: string } | undefined;
  /** Which step of a SOCKS5 handshake failed. */
  readonly stage?: 'socks-method' | 'socks-auth' | 'socks-connect' | undefined;
}

export function proxyFailure(
  message: string,
  details: ProxyFailureDetails,
  cause?: unknown,
): HttpClientError {
  return new HttpClientError('PROXY_FAILED', message, {
    requestSent: false,
    cause,
    details: { ...details },
  });
}

export function invalidProxyOption(message: string, option: string): HttpClientError {
  return new HttpClientError('INVALID_REQUEST', message, { requestSent: false, details: { option } });
}

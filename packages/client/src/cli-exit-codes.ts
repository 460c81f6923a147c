import { HttpClientError } from '@x/core';

/**
 * Exit codes of `x-http`, curl's numbers where curl has one, so scripts
 * written for curl keep working.
 */
export const EXIT_CODES = Object.freeze({
  ok: 0,
  failure: 1,
  usage: 2,
  dns: 6,
  connect: 7,
  protocol: 8,
  httpStatus: 22,
  write: 23,
  timeout: 28,
  tls: 35,
  redirects: 47,
  closed: 56,
  proxy: 97,
  interrupted: 130,
});

/** The exit code for an error the request ended with. */
export function exitCodeFor(error: unknown): number {
  if (!HttpClientError.is(error)) return EXIT_CODES.failure;
  switch (error.code) {
    case 'DNS_FAILED':
      return EXIT_CODES.dns;
    case 'CONNECT_FAILED':
      return EXIT_CODES.connect;
    case 'PROTOCOL_ERROR':
    case 'DECODE_FAILED':
      return EXIT_CODES.protocol;
    case 'HTTP_STATUS':
      return EXIT_CODES.httpStatus;
    case 'DOWNLOAD_WRITE_FAILED':
      return EXIT_CODES.write;
    case 'TIMEOUT':
      return EXIT_CODES.timeout;
    case 'TLS_FAILED':
      return EXIT_CODES.tls;
    case 'REDIRECT_LIMIT':
    case 'REDIRECT_LOOP':
    case 'REDIRECT_REFUSED':
      return EXIT_CODES.redirects;
    case 'CONNECTION_CLOSED':
      return EXIT_CODES.closed;
    // curl's CURLE_PROXY: the proxy refused or broke the CONNECT tunnel.
    case 'PROXY_FAILED':
      return EXIT_CODES.proxy;
    case 'ABORTED':
      return EXIT_CODES.interrupted;
    case 'INVALID_REQUEST':
      return EXIT_CODES.usage;
    default:
      return EXIT_CODES.failure;
  }
}

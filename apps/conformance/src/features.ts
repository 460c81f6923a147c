/**
 * What a transport (or stack) claims to do. A case runs only against
 * transports that claim every feature it requires; a claimed case that
 * fails is a failure, an unclaimed one is reported as "not-claimed".
 * Claim honestly: the matrix is only as true as the claims.
 */
export const FEATURES = {
  http: 'Plain-HTTP requests to the suite servers: methods, fixed and empty bodies, status, headers, bodies',
  https: 'HTTPS to the suite server, trusting the CA the suite generated (passed to create())',
  wire: 'Speaks HTTP/1.1 on a real socket: Host, Content-Length or chunked framing, header casing as given',
  'field-lines': 'Repeated header fields reach the caller as separate lines, as they were on the wire',
  'streamed-request-body': 'One-shot request bodies of unknown length (sent chunked)',
  'streamed-response-body': 'Response bodies arrive chunk by chunk, before the server has finished',
  trailers: 'Trailer fields of a chunked response, kept apart from the headers',
  'request-trailers':
    'Request trailers given as options.http1.trailers (a list, or a function called after the body) sent after a chunked body',
  upgrade:
    'A 101 to a request with options.http1.upgrade hands over the socket (meta.upgrade); an unasked 101 is PROTOCOL_ERROR',
  'interim-responses': '1xx interim responses (103, unsolicited 100) skipped; the final response returned',
  abort: 'request.signal aborts before the head and while the body streams (ABORTED)',
  timeouts: 'request.options.timeout.headers / bodyIdle become TIMEOUT errors naming the phase',
  'socket-errors':
    'Connection refused, DNS failure and early close as CONNECT_FAILED, DNS_FAILED, CONNECTION_CLOSED',
  'direct-connect':
    'Dials the origin itself (no proxy in between), so a refused connection is its own CONNECT_FAILED; through a proxy the proxy reports it (PROXY_FAILED)',
  'strict-framing':
    'Truncated and malformed responses from a raw socket are typed errors, never short successes',
  'tls-verification': 'An untrusted certificate fails with TLS_FAILED before any request byte',
  'tls-policy':
    'Pins the key given to create() for 127.0.0.1 (RFC 7469 pin format): a match passes, another key fails',
  'connection-reuse': 'Sequential requests to one origin reuse one connection (meta.connection.reused)',
  pipelining: 'Several idempotent requests in flight on one connection (RFC 9112 §9.3.2)',
  redirects: 'Follows redirects per RFC 9110 §15.4 and drops credentials across origins',
  cache: 'An RFC 9111 cache: fresh responses served without the network, revalidation with 304',
  decoding:
    'Content-Encoding gzip, deflate and br undone (stacked too), Accept-Encoding sent, bad codings typed errors',
  retries: 'Idempotent requests retried after a connection failure or a 503; a POST is not',
  cookies:
    'A cookie jar (RFC 6265): Set-Cookie stored, every hop included, and sent back only where its domain, path and Secure allow',
} as const;

export type Feature = keyof typeof FEATURES;

export const ALL_FEATURES = Object.keys(FEATURES) as Feature[];

export function isFeature(value: string): value is Feature {
  return Object.hasOwn(FEATURES, value);
}

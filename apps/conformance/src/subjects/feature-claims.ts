import type { Feature } from '../features.js';

/**
 * What core's in-memory mock can honestly claim: it answers the suite's
 * routes from memory (no socket, so no wire framing, interim responses,
 * socket errors, TLS or reuse), streams bodies from async iterables and
 * honours the request signal.
 */
export const MOCK_FEATURES: readonly Feature[] = [
  'http',
  'field-lines',
  'https',
  'streamed-request-body',
  'streamed-response-body',
  'trailers',
  'abort',
];

/**
 * What @x/protocol's createHttp1Transport claims today: HTTP/1.1 on a fresh
 * socket per request (Connection: close), so no reuse and no pipelining.
 */
export const HTTP1_FEATURES: readonly Feature[] = [
  'http',
  'field-lines',
  'https',
  'wire',
  'streamed-request-body',
  'streamed-response-body',
  'trailers',
  'request-trailers',
  'upgrade',
  'interim-responses',
  'abort',
  'timeouts',
  'socket-errors',
  'direct-connect',
  'strict-framing',
  'tls-verification',
];

/**
 * What @x/client's fromFetch over undici's fetch (with its own Agent, closed
 * by the transport's close()) can claim: no custom CA (so no https here), no
 * trailers or 1xx (fetch hides them), no wire control, and repeated response
 * fields arrive joined (the Fetch Headers class combines them).
 */
export const FETCH_FEATURES: readonly Feature[] = [
  'http',
  'streamed-request-body',
  'streamed-response-body',
  'abort',
];

/**
 * What node:http gives the reference adapter (timeouts implemented in the
 * adapter): the http1 contract with keep-alive reuse, except strict framing,
 * since node:http's parser accepts some malformed responses that ours refuses,
 * and request trailers and upgrades (the adapter does not read options.http1).
 */
export const REFERENCE_FEATURES: readonly Feature[] = [
  ...HTTP1_FEATURES.filter(
    (feature) => feature !== 'strict-framing' && feature !== 'request-trailers' && feature !== 'upgrade',
  ),
  'connection-reuse',
];

/** What @x/pool claims: the http1 contract plus keep-alive reuse. */
export const POOL_FEATURES: readonly Feature[] = [...HTTP1_FEATURES, 'connection-reuse'];

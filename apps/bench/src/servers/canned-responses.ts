/**
 * The canned responses both the servers and the scenarios use: the servers
 * write these exact bytes, the scenarios know their sizes, so every
 * contender's result can be checked byte for byte and the raw-socket ceiling
 * can count response ends by length.
 */

/** Serialises a complete response with Content-Length framing. */
export function fixedResponse(
  status: number,
  reason: string,
  headers: Record<string, string>,
  body: Buffer,
): Buffer {
  let head = `HTTP/1.1 ${status} ${reason}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  head += `content-length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

// The time this module loaded, so cacheable responses are fresh for their max-age from now on.
// IMF-fixdate has a fixed width: every process computes responses of the same length.
const SERVER_HEADERS = { date: new Date().toUTCString(), server: 'x-bench' };

/** A JSON document of about 1 KiB: the shape of a typical API list response. */
export const JSON_DOCUMENT = {
  items: Array.from({ length: 8 }, (_, index) => ({
    id: index + 1,
    name: `item-${index + 1}`,
    active: index % 2 === 0,
    score: (index + 1) * 1.5,
    tags: ['alpha', 'beta'],
  })),
  next: '/json?page=2',
};

const SMALL_BODY = Buffer.from('hello world\n');
const JSON_BODY = Buffer.from(JSON.stringify(JSON_DOCUMENT));
const OK_BODY = Buffer.from('ok\n');

export interface CannedRoute {
  readonly bytes: Buffer;
  readonly bodyBytes: number;
  /** For a route with a validator: the entity tag and the 304 sent when If-None-Match carries it. */
  readonly notModified?: { readonly etag: string; readonly bytes: Buffer } | undefined;
}

function route(bytes: Buffer, body: Buffer): CannedRoute {
  return { bytes, bodyBytes: body.length };
}

/**
 * A 304 has no content (RFC 9110 §15.4.5): no Content-Length, which would
 * claim the size of the selected representation, and no body. It carries the
 * fields a cache must update its stored response with (RFC 9111 §4.3.4).
 */
function notModifiedResponse(headers: Record<string, string>): Buffer {
  let head = 'HTTP/1.1 304 Not Modified\r\n';
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  return Buffer.from(`${head}\r\n`, 'latin1');
}

/** Always stale (max-age=0) with a strong validator: every cache hit is revalidated with a 304. */
const REVALIDATED_HEADERS = {
  ...SERVER_HEADERS,
  'cache-control': 'public, max-age=0',
  etag: '"r1"',
};

/** Path → response, built once at start-up. */
export function cannedRoutes(): ReadonlyMap<string, CannedRoute> {
  return new Map<string, CannedRoute>([
    [
      '/small',
      route(
        fixedResponse(200, 'OK', { ...SERVER_HEADERS, 'content-type': 'text/plain' }, SMALL_BODY),
        SMALL_BODY,
      ),
    ],
    [
      '/json',
      route(
        fixedResponse(200, 'OK', { ...SERVER_HEADERS, 'content-type': 'application/json' }, JSON_BODY),
        JSON_BODY,
      ),
    ],
    [
      '/upload',
      route(fixedResponse(200, 'OK', { ...SERVER_HEADERS, 'content-type': 'text/plain' }, OK_BODY), OK_BODY),
    ],
    [
      '/cached',
      route(
        fixedResponse(
          200,
          'OK',
          {
            ...SERVER_HEADERS,
            'content-type': 'text/plain',
            'cache-control': 'public, max-age=3600',
            etag: '"v1"',
            'last-modified': 'Tue, 24 Nov 2026 08:00:00 GMT',
          },
          SMALL_BODY,
        ),
        SMALL_BODY,
      ),
    ],
    [
      '/revalidate',
      {
        ...route(
          fixedResponse(200, 'OK', { ...REVALIDATED_HEADERS, 'content-type': 'text/plain' }, SMALL_BODY),
          SMALL_BODY,
        ),
        notModified: { etag: REVALIDATED_HEADERS.etag, bytes: notModifiedResponse(REVALIDATED_HEADERS) },
      },
    ],
  ]);
}

/**
 * The bytes to answer a request for one route: its 304 when the request's
 * If-None-Match lists the route's entity tag (weak comparison, RFC 9110
 * §13.1.2), otherwise the full response.
 */
export function cannedAnswer(found: CannedRoute, ifNoneMatch: string | null): Buffer {
  if (found.notModified === undefined || ifNoneMatch === null) return found.bytes;
  const tags = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  return tags.includes(found.notModified.etag) || tags.includes('*') ? found.notModified.bytes : found.bytes;
}

export const NOT_FOUND = fixedResponse(404, 'Not Found', SERVER_HEADERS, Buffer.from('not found\n'));

/** Reads one route; scenarios call this to learn the sizes to expect. */
export function cannedRoute(path: string): CannedRoute {
  const found = cannedRoutes().get(path);
  if (found === undefined) throw new Error(`No canned route ${path}`);
  return found;
}

import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import { patternChunks } from './pattern.js';

/**
 * The routes of the suite's HTTP server, as pure plans: what to answer, not
 * how to write it. The node:http server writes a plan to a socket; the
 * in-memory mock server (for the "mock" column) turns the same plan into a
 * MockReply. One route table, two carriers, the same expectations.
 */

export interface RouteRequest {
  readonly method: string;
  /** Path and query as sent ("/echo?x=1"). */
  readonly target: string;
  /** Header lines in wire order and wire casing. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Uint8Array;
  /** True when the request body came with Transfer-Encoding: chunked. */
  readonly chunked: boolean;
  /** Trailer lines of a chunked request body, in wire order and casing (none in memory). */
  readonly trailers?: ReadonlyArray<readonly [string, string]> | undefined;
  /** Server-side id of the connection that carried the request (0 in memory). */
  readonly connectionId: number;
}

/** A step of a response body: bytes, a pause, or "stop here forever / abruptly". */
export type BodyStep =
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'pause'; readonly ms: number }
  | { readonly kind: 'hang' }
  | { readonly kind: 'destroy' };

export interface RoutePlan {
  readonly status: number;
  readonly reason: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Interim responses sent before the final head (socket carrier only). */
  readonly interim: ReadonlyArray<{ status: number; headers: Record<string, string> }>;
  /** Never send a head at all. */
  readonly hangBeforeHead: boolean;
  readonly body: Iterable<BodyStep>;
  readonly trailers: ReadonlyArray<readonly [string, string]>;
}

/** Counters shared by one server's routes (cache and retry cases count hits). */
export interface RouteState {
  readonly hits: Map<string, number>;
}

const encoder = new TextEncoder();

function plan(status: number, init: Partial<RoutePlan> = {}): RoutePlan {
  return {
    status,
    reason: init.reason ?? STATUS_CODES[status] ?? '',
    headers: init.headers ?? [],
    interim: init.interim ?? [],
    hangBeforeHead: init.hangBeforeHead ?? false,
    body: init.body ?? [],
    trailers: init.trailers ?? [],
  };
}

function bytes(text: string): BodyStep {
  return { kind: 'bytes', bytes: encoder.encode(text) };
}

function textPlan(status: number, text: string, headers: Array<[string, string]> = []): RoutePlan {
  const body = encoder.encode(text);
  return plan(status, {
    headers: [
      ['Content-Type', 'text/plain; charset=utf-8'],
      ['Content-Length', String(body.byteLength)],
      ...headers,
    ],
    body: [{ kind: 'bytes', bytes: body }],
  });
}

function header(request: RouteRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  return request.headers.find(([key]) => key.toLowerCase() === lower)?.[1];
}

function count(state: RouteState, key: string): number {
  const next = (state.hits.get(key) ?? 0) + 1;
  state.hits.set(key, next);
  return next;
}

function numberParam(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const value = Number(query.get(name) ?? fallback);
  return Number.isFinite(value) && value >= 0 ? Math.min(value, max) : fallback;
}

/** The plain text every /encoded response carries, whatever its codings. */
export const ENCODED_TEXT = 'The quick brown fox jumps over the lazy dog. '.repeat(40);

/** Decoded size of the /brotli-bomb body: 64 MiB of zeros. */
export const BOMB_DECODED_BYTES = 64 * 1024 * 1024;
let brotliBomb: Uint8Array | undefined;

/** About a hundred bytes of br that decode to BOMB_DECODED_BYTES, made on first use (~0.1 s). */
function brotliBombBody(): Uint8Array {
  brotliBomb ??= new Uint8Array(
    brotliCompressSync(Buffer.alloc(BOMB_DECODED_BYTES), {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 },
    }),
  );
  return brotliBomb;
}

function encode(coding: string, body: Uint8Array): Uint8Array {
  switch (coding.trim().toLowerCase()) {
    case 'gzip':
      return new Uint8Array(gzipSync(body));
    case 'deflate':
      return new Uint8Array(deflateSync(body));
    case 'br':
      return new Uint8Array(brotliCompressSync(body));
    default:
      return body;
  }
}

export function routeRequest(request: RouteRequest, state: RouteState): RoutePlan {
  const url = new URL(request.target, 'http://route.invalid');
  const query = url.searchParams;
  const path = url.pathname;
  const segments = path.split('/').filter((segment) => segment !== '');
  // Every request is counted by target, so a case can wait until the server really has it.
  count(state, `target:${request.target}`);

  switch (segments[0]) {
    case 'echo': {
      const echo = JSON.stringify({
        method: request.method,
        target: request.target,
        headers: request.headers,
        // Small bodies echoed as text; every body as length and SHA-256 (large uploads).
        body: request.body.byteLength <= 64 * 1024 ? new TextDecoder().decode(request.body) : null,
        bodyLength: request.body.byteLength,
        bodySha256: createHash('sha256').update(request.body).digest('hex'),
        chunked: request.chunked,
        trailers: request.trailers ?? [],
        contentLength: header(request, 'content-length') ?? null,
        connectionId: request.connectionId,
      });
      return textPlan(200, echo, [['X-Echo-Method', request.method]]);
    }
    case 'status': {
      const status = Number(segments[1] ?? 200);
      const reason = query.get('reason') ?? STATUS_CODES[status] ?? '';
      // RFC 9110 §15.3.5, §15.4.5: 204 and 304 never carry content.
      if (status === 204 || status === 304 || status < 200)
        return plan(status, { reason, headers: [['ETag', '"s"']] });
      const result = textPlan(status, `status ${status}`);
      return { ...result, reason };
    }
    case 'repeated-headers':
      return plan(200, {
        headers: [
          ['X-Repeated', 'first'],
          ['Set-Cookie', 'a=1; Path=/'],
          ['X-Repeated', 'second'],
          ['Set-Cookie', 'b=2; Path=/'],
          ['X-ODD-case-Header', 'Kept'],
          ['Content-Length', '0'],
        ],
      });
    case 'stream': {
      // Chunked on purpose: no Content-Length, the consumer cannot know the end in advance.
      const chunks = numberParam(query, 'chunks', 5, 1000);
      const delay = numberParam(query, 'delay', 20, 2000);
      const steps: BodyStep[] = [];
      for (let i = 0; i < chunks; i++) {
        if (i > 0 && delay > 0) steps.push({ kind: 'pause', ms: delay });
        steps.push(bytes(`chunk ${i};`));
      }
      return plan(200, { headers: [['Content-Type', 'text/plain']], body: steps });
    }
    case 'trailers':
      return plan(200, {
        headers: [
          ['Content-Type', 'text/plain'],
          ['Trailer', 'X-Checksum, X-Trailer-Two'],
        ],
        body: [bytes('part one;'), bytes('part two;')],
        trailers: [
          ['X-Checksum', 'abc123'],
          ['X-Trailer-Two', 'two'],
        ],
      });
    case 'large': {
      const size = numberParam(query, 'size', 1024 * 1024, 64 * 1024 * 1024);
      const chunked = query.get('chunked') === '1';
      // Bytes produced so far are counted under "produced:<target>": the backpressure case reads it.
      const producedKey = `produced:${request.target}`;
      const steps = (function* (): Generator<BodyStep> {
        for (const chunk of patternChunks(size)) {
          state.hits.set(producedKey, (state.hits.get(producedKey) ?? 0) + chunk.byteLength);
          yield { kind: 'bytes', bytes: chunk };
        }
      })();
      return plan(200, {
        headers: chunked
          ? [['Content-Type', 'application/octet-stream']]
          : [['Content-Length', String(size)]],
        body: steps,
      });
    }
    case 'early-hints':
      return {
        ...textPlan(200, 'after hints'),
        interim: [{ status: 103, headers: { Link: '</style.css>; rel=preload; as=style' } }],
      };
    case 'unsolicited-continue':
      // RFC 9110 §15.2: a client must accept a 100 it did not ask for.
      return { ...textPlan(200, 'after continue'), interim: [{ status: 100, headers: {} }] };
    case 'hang':
      return plan(200, { hangBeforeHead: true });
    case 'hang-body':
      return plan(200, {
        headers: [['Content-Length', '1000']],
        body: [bytes('first bytes;'), { kind: 'hang' }],
      });
    case 'close-mid-body':
      return plan(200, {
        headers: [['Content-Length', '1000']],
        body: [bytes('x'.repeat(100)), { kind: 'destroy' }],
      });
    case 'redirect': {
      const status = Number(segments[1] ?? 302);
      const location = query.get('to') ?? '/echo';
      return { ...textPlan(status, `redirect to ${location}`, [['Location', location]]) };
    }
    case 'set-cookie': {
      // Each `c` is one Set-Cookie line as given; with `to`, the answer is a 302 there.
      const cookies: Array<[string, string]> = query.getAll('c').map((value) => ['Set-Cookie', value]);
      const to = query.get('to');
      if (to !== null) return textPlan(302, `cookies set, on to ${to}`, [['Location', to], ...cookies]);
      return textPlan(200, `${cookies.length} cookies set`, cookies);
    }
    case 'redirect-loop':
      return textPlan(302, 'around again', [['Location', '/redirect-loop']]);
    case 'cache': {
      const key = `${segments[1] ?? 'fresh'}:${query.get('key') ?? ''}`;
      const hit = count(state, key);
      if (segments[1] === 'etag') {
        if (header(request, 'if-none-match') === '"v1"') {
          return plan(304, {
            headers: [
              ['ETag', '"v1"'],
              ['Cache-Control', 'no-cache'],
            ],
          });
        }
        return textPlan(200, `etag body ${hit}`, [
          ['ETag', '"v1"'],
          ['Cache-Control', 'no-cache'],
        ]);
      }
      if (segments[1] === 'no-store')
        return textPlan(200, `no-store body ${hit}`, [['Cache-Control', 'no-store']]);
      if (segments[1] === 'vary') {
        // RFC 9111 §4.1: a stored response only answers requests whose X-Variant matches.
        const variant = header(request, 'x-variant') ?? 'none';
        return textPlan(200, `variant ${variant} body ${hit}`, [
          ['Cache-Control', 'max-age=600'],
          ['Vary', 'X-Variant'],
        ]);
      }
      return textPlan(200, `fresh body ${hit}`, [['Cache-Control', 'max-age=600']]);
    }
    case 'encoded': {
      // Codings listed in the order they were applied (RFC 9110 §8.4).
      const codings = (query.get('coding') ?? 'gzip').split(',').filter((coding) => coding !== '');
      let body: Uint8Array = encoder.encode(ENCODED_TEXT);
      for (const coding of codings) body = encode(coding, body);
      return plan(200, {
        headers: [
          ['Content-Type', 'text/plain; charset=utf-8'],
          ['Content-Encoding', codings.join(', ')],
          ['Content-Length', String(body.byteLength)],
        ],
        body: [{ kind: 'bytes', bytes: body }],
      });
    }
    case 'brotli-bomb': {
      const body = brotliBombBody();
      return plan(200, {
        headers: [
          ['Content-Encoding', 'br'],
          ['Content-Length', String(body.byteLength)],
        ],
        body: [{ kind: 'bytes', bytes: body }],
      });
    }
    case 'corrupt-gzip': {
      const body = encoder.encode('this is not gzip at all');
      return plan(200, {
        headers: [
          ['Content-Encoding', 'gzip'],
          ['Content-Length', String(body.byteLength)],
        ],
        body: [{ kind: 'bytes', bytes: body }],
      });
    }
    case 'flaky-status': {
      // 503 with Retry-After: 0 on the first request per key, then 200 (RFC 9110 §15.6.4, §10.2.3).
      const attempt = count(state, `flaky:${query.get('key') ?? ''}`);
      if (attempt === 1) return textPlan(503, 'try again', [['Retry-After', '0']]);
      return textPlan(200, `attempt ${attempt}`);
    }
    case 'count':
      return textPlan(200, String(state.hits.get(query.get('key') ?? '') ?? 0));
    default:
      return textPlan(404, `no route ${path}`);
  }
}

import type { HeaderList } from '@x/headers';
import type { RequestBody } from './request-body.js';
import type { ResponseBody } from './response-body.js';

/**
 * The one contract. An HttpTransport takes a request and gives back the
 * response head as soon as it arrives, the body streaming after it.
 *
 * An implementation:
 * - resolves when the status line and headers of the final response arrive
 *   (1xx interim responses are not final responses);
 * - never interprets the status: a 404 or 503 is a response, not an error;
 * - never mutates `request` or anything it holds; a layer that needs a
 *   different request builds a new one (`withRequestChanges`);
 * - always finishes with the request body: opens and drains it, or never
 *   opens it, and never leaves a stream half-read without cancelling it;
 * - rejects only with `HttpClientError`, with `requestSent` telling whether
 *   any byte may have reached the server;
 * - honours `request.signal` in every phase, including while the body streams;
 * - is safe to call concurrently.
 */
export interface HttpTransport {
  request(request: HttpRequest): Promise<HttpResponse>;
  /**
   * Refuses new requests (TRANSPORT_CLOSED), lets in-flight bodies finish,
   * then frees every socket and timer. Idempotent.
   */
  close(): Promise<void>;
}

/** Per-request deadlines in milliseconds. Each becomes a TIMEOUT error naming its phase. */
export interface TimeoutOptions {
  /** Establishing the connection (TCP + TLS). */
  connect?: number | undefined;
  /** Waiting for a free connection in a pool's queue. */
  queue?: number | undefined;
  /** From the request being written until the whole response head arrived (a deadline, not an idle timer). */
  headers?: number | undefined;
  /** Longest silence between two body chunks. */
  bodyIdle?: number | undefined;
  /** The whole exchange, body included. */
  total?: number | undefined;
}

/**
 * Per-request options. Each layer adds its own keys by module augmentation:
 *
 *   declare module '@x/core' { interface RequestOptions { redirect?: RedirectOptions } }
 *
 * Transports ignore keys they do not know.
 */
export interface RequestOptions {
  timeout?: TimeoutOptions | undefined;
}

export interface HttpRequest {
  /** A token, sent as given (case kept). */
  readonly method: string;
  /** Absolute http: or https: URL. The fragment is never sent. */
  readonly url: URL;
  readonly headers: HeaderList;
  readonly body: RequestBody | null;
  readonly signal?: AbortSignal | undefined;
  readonly options: RequestOptions;
}

/** Timings in the clock's monotonic milliseconds. */
export interface ResponseTimings {
  start: number;
  connected?: number | undefined;
  requestSent?: number | undefined;
  headers?: number | undefined;
}

/** Which connection carried the exchange. */
export interface ConnectionInfo {
  /** Stable id of the connection within its transport (for logs and reuse checks). */
  id: number;
  /** True when the connection had carried an earlier exchange. */
  reused: boolean;
  localAddress?: string | undefined;
  localPort?: number | undefined;
  remoteAddress?: string | undefined;
  remotePort?: number | undefined;
}

/**
 * Typed response metadata. Layers add keys by module augmentation (the
 * redirect chain, cache status, TLS details...), never fake headers.
 */
export interface ResponseMeta {
  timings?: ResponseTimings | undefined;
  connection?: ConnectionInfo | undefined;
}

export interface HttpResponse {
  readonly status: number;
  readonly reason: string;
  readonly httpVersion: '1.0' | '1.1';
  readonly headers: HeaderList;
  /** The URL this response is for (after redirects, the final one). */
  readonly url: URL;
  readonly body: ResponseBody;
  /** Settles after the body ends: the trailer fields, empty when none; rejects if the body failed. */
  readonly trailers: Promise<HeaderList>;
  readonly meta: ResponseMeta;
}

/** A layer wraps a transport in another transport. */
export type Layer = (inner: HttpTransport) => HttpTransport;

/**
 * Stacks layers over a base transport. Layers are applied in the order
 * given, each wrapping the result so far, so the last one is outermost and
 * sees a request first:
 *
 *   compose(pool, decode(), cache(), redirects())  // redirects → cache → decode → pool
 */
export function compose(base: HttpTransport, ...layers: Layer[]): HttpTransport {
  let transport = base;
  for (const layer of layers) transport = layer(transport);
  return transport;
}

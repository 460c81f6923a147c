import type { Duplex } from 'node:stream';
import type { HttpRequest } from '@x/core';
import type { HeaderInit, HeaderList } from '@x/headers';

/** An interim (1xx) response, surfaced through `onInformational` (103 Early Hints and others). */
export interface InformationalResponse {
  readonly status: number;
  readonly reason: string;
  readonly headers: HeaderList;
}

/** Per-request HTTP/1.1 options, under `request.options.http1`. */
export interface Http1RequestOptions {
  /**
   * Request-target form (RFC 9112 §3.2): "origin" (default; "authority" for
   * CONNECT), "absolute" for a request to a forward proxy.
   */
  targetForm?: 'origin' | 'absolute' | 'authority' | undefined;
  /** Trailer fields sent after a chunked body; forces chunked framing. A function runs after the last body byte. */
  trailers?: HeaderInit | (() => HeaderInit | Promise<HeaderInit>) | undefined;
  /** Called for each 1xx response other than 100 and 101 (e.g. 103 Early Hints). Exceptions are ignored. */
  onInformational?: ((response: InformationalResponse) => void) | undefined;
  /**
   * Accept a 101 (or a 2xx to CONNECT) and take the socket: the response
   * carries it in `meta.upgrade`. Without this such a response is a
   * PROTOCOL_ERROR (`unexpected-upgrade`).
   */
  upgrade?: boolean | undefined;
  /** With `Expect: 100-continue`, how long to wait for 100 before sending the body anyway. Default 1000 ms. */
  expectContinueTimeout?: number | undefined;
}

/** What a caller who asked for `upgrade` gets: the raw stream and bytes already read past the head. */
export interface UpgradedConnection {
  readonly socket: Duplex;
  readonly head: Uint8Array;
}

declare module '@x/core' {
  interface RequestOptions {
    http1?: Http1RequestOptions | undefined;
  }
  interface ResponseMeta {
    /** Set on a 101 (or CONNECT 2xx) response when `http1.upgrade` was asked for. */
    upgrade?: UpgradedConnection | undefined;
  }
}

/**
 * One of the request's `options.http1` settings, read as an own property:
 * core copies only the top level of `request.options`, so an inherited
 * `Object.prototype.upgrade` or `.trailers` must not accept a 101 or change
 * the framing (SECURITY.md rule 4).
 */
export function http1Option<K extends keyof Http1RequestOptions>(
  request: HttpRequest,
  key: K,
): Http1RequestOptions[K] {
  const options = request.options.http1;
  return typeof options === 'object' && options !== null && Object.hasOwn(options, key)
    ? options[key]
    : undefined;
}

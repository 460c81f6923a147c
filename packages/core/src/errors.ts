/**
 * The one error family of `@x`. Every transport and layer rejects only with
 * an `HttpClientError`; what went wrong is its `code`, stable across versions.
 *
 *   HttpClientError
 *   ├─ INVALID_REQUEST     the caller's request cannot be sent (bad method, URL, header, body)
 *   ├─ CONNECT_FAILED      TCP connect refused / unreachable / reset before the request
 *   ├─ DNS_FAILED          the host name did not resolve
 *   ├─ TLS_FAILED          handshake or verification failed (`details.check` names which)
 *   ├─ TIMEOUT             a per-phase deadline passed (`phase` says which)
 *   ├─ PROTOCOL_ERROR      the response broke HTTP/1.1 (`rule` names the rule)
 *   ├─ CONNECTION_CLOSED   the peer closed or reset mid-exchange
 *   ├─ ABORTED             the caller's AbortSignal fired (`cause` is its reason)
 *   ├─ LIMIT_EXCEEDED      a configured bound was hit (`details.limit` names it)
 *   ├─ BODY_CONSUMED       a single-use body was read twice
 *   ├─ INVALID_BODY        a buffered body could not be parsed (e.g. `json()`)
 *   ├─ TRANSPORT_CLOSED    the transport was closed before or during the request
 *   └─ ... codes added by layers (`ErrorCodes` is augmentable)
 *
 * `requestSent` answers the retry question: false means no byte of this
 * request can have reached the server, so resending is safe whatever the
 * method. A 4xx or 5xx is a response, never an error.
 */

/** Known error codes. Layers add theirs by module augmentation of this interface. */
export interface ErrorCodes {
  INVALID_REQUEST: true;
  CONNECT_FAILED: true;
  DNS_FAILED: true;
  TLS_FAILED: true;
  TIMEOUT: true;
  PROTOCOL_ERROR: true;
  CONNECTION_CLOSED: true;
  ABORTED: true;
  LIMIT_EXCEEDED: true;
  BODY_CONSUMED: true;
  INVALID_BODY: true;
  TRANSPORT_CLOSED: true;
}

export type ErrorCode = keyof ErrorCodes;

/** Which deadline a TIMEOUT error is about. */
export type TimeoutPhase = 'connect' | 'queue' | 'headers' | 'body-idle' | 'total';

export interface HttpClientErrorOptions {
  method?: string | undefined;
  url?: URL | string | undefined;
  /** Could any byte of the request have reached the server? Defaults to true (the unsafe answer). */
  requestSent?: boolean | undefined;
  cause?: unknown;
  phase?: TimeoutPhase | undefined;
  /** For PROTOCOL_ERROR: the rule the peer broke, e.g. "content-length-mismatch". */
  rule?: string | undefined;
  /** Code-specific data: `limit`/`max` for LIMIT_EXCEEDED, `check` for TLS_FAILED, ... */
  details?: Readonly<Record<string, unknown>> | undefined;
}

const BRAND = Symbol.for('@x/core.HttpClientError');

/** Removes user:password from a URL before it goes into an error message or log. */
export function redactUrl(url: URL | string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return typeof url === 'string' ? url : undefined;
  }
  if (parsed.username === '' && parsed.password === '') return parsed.href;
  const copy = new URL(parsed.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

export class HttpClientError extends Error {
  readonly code: ErrorCode;
  readonly method: string | undefined;
  /** The request URL with any credentials removed. */
  readonly url: string | undefined;
  readonly requestSent: boolean;
  readonly phase: TimeoutPhase | undefined;
  readonly rule: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: HttpClientErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpClientError';
    this.code = code;
    this.method = options.method;
    this.url = redactUrl(options.url);
    this.requestSent = options.requestSent ?? true;
    this.phase = options.phase;
    this.rule = options.rule;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }

  get [BRAND](): true {
    return true;
  }

  /**
   * True for an HttpClientError from any copy of `@x/core`: independently
   * versioned packages make duplicate installs normal, so `instanceof` is
   * not enough.
   */
  static is(value: unknown, code?: ErrorCode): value is HttpClientError {
    if (typeof value !== 'object' || value === null) return false;
    if ((value as Record<symbol, unknown>)[BRAND] !== true) return false;
    return code === undefined || (value as HttpClientError).code === code;
  }

  /**
   * A copy with the request's method and URL filled in where missing, and
   * `requestSent` forced to false when the caller knows nothing was written.
   * Lower levels (connectors, parsers) raise errors before they know the
   * request; the transport completes them.
   */
  withRequest(method: string, url: URL | string, requestSent?: boolean): HttpClientError {
    if (this.method !== undefined && this.url !== undefined && requestSent === undefined) return this;
    const copy = new HttpClientError(this.code, this.message, {
      method: this.method ?? method,
      url: this.url ?? url,
      requestSent: requestSent ?? this.requestSent,
      cause: this.cause,
      phase: this.phase,
      rule: this.rule,
      details: this.details,
    });
    copy.stack = this.stack;
    return copy;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      method: this.method,
      url: this.url,
      requestSent: this.requestSent,
      phase: this.phase,
      rule: this.rule,
      details: this.details,
    };
  }
}

/** The error for a fired AbortSignal, carrying the signal's reason as `cause`. */
export function abortError(
  signal: AbortSignal,
  options: { method?: string; url?: URL | string; requestSent: boolean },
): HttpClientError {
  return new HttpClientError('ABORTED', 'The request was aborted', { ...options, cause: signal.reason });
}

/**
 * Normalises anything thrown below a transport into an HttpClientError: an
 * HttpClientError passes through (completed with method/URL), anything else
 * becomes `fallback` with the original as `cause`.
 */
export function toHttpClientError(
  error: unknown,
  fallback: { code: ErrorCode; message: string; method?: string; url?: URL | string; requestSent: boolean },
): HttpClientError {
  if (HttpClientError.is(error)) {
    return fallback.method !== undefined && fallback.url !== undefined
      ? error.withRequest(fallback.method, fallback.url)
      : error;
  }
  return new HttpClientError(fallback.code, fallback.message, { ...fallback, cause: error });
}

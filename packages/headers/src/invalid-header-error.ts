const BRAND = Symbol.for('@x/headers.InvalidHeaderError');

/**
 * Thrown when a caller gives a header name or value that cannot be sent.
 * `@x/headers` sits below `@x/core`, so it cannot throw core's
 * `HttpClientError`; core wraps this one (as `cause`) into an
 * `INVALID_REQUEST` error when a request is built. Recognise it across
 * duplicate installs with `InvalidHeaderError.is()`.
 */
export class InvalidHeaderError extends TypeError {
  readonly code = 'INVALID_HEADER' as const;
  /** The offending field name, as given. */
  readonly headerName: string;
  /** Why it was refused, e.g. "contains CR". */
  readonly reason: string;

  constructor(headerName: string, reason: string) {
    super(`Invalid header ${JSON.stringify(headerName)}: ${reason}`);
    this.name = 'InvalidHeaderError';
    this.headerName = headerName;
    this.reason = reason;
  }

  get [BRAND](): true {
    return true;
  }

  static is(value: unknown): value is InvalidHeaderError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

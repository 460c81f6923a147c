const BRAND = Symbol.for('@x/headers.StructuredFieldError');

/**
 * Thrown when a caller asks to serialise a value RFC 9651 cannot express
 * (an integer beyond 15 digits, a key with upper-case letters, a string with
 * a control character...). Parsing never throws this: parsers return
 * `Parsed<T>`. `@x/headers` sits below `@x/core`, so this is not an
 * `HttpClientError`; core wraps it (as `cause`) when a request is built.
 * Recognise it across duplicate installs with `StructuredFieldError.is()`.
 */
export class StructuredFieldError extends TypeError {
  readonly code = 'INVALID_STRUCTURED_FIELD' as const;
  /** Why the value was refused, e.g. "integer out of range". */
  readonly reason: string;

  constructor(reason: string) {
    super(`Cannot serialise structured field: ${reason}`);
    this.name = 'StructuredFieldError';
    this.reason = reason;
  }

  get [BRAND](): true {
    return true;
  }

  static is(value: unknown): value is StructuredFieldError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

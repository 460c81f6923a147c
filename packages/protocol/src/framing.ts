/**
 * RFC 9112 §6.3 "Message Body Length" as pure decisions, so each rule is
 * unit-tested without sockets and the parser only acts on the result.
 */

export type BodyKind = 'none' | 'length' | 'chunked' | 'close';

export interface ResponseFraming {
  readonly kind: BodyKind;
  /** Declared length for kind "length" (0 allowed), else null. */
  readonly length: number | null;
  /** May the connection carry another exchange after this response (framing-wise)? */
  readonly keepAlive: boolean;
}

export interface FramingInput {
  readonly status: number;
  readonly httpVersion: '1.0' | '1.1';
  /** The request's method as sent (case kept: methods are case-sensitive, RFC 9110 §9.1). */
  readonly requestMethod: string;
  /** Every Content-Length field value, one entry per field line. */
  readonly contentLength: readonly string[];
  /** Every Transfer-Encoding field value, one entry per field line. */
  readonly transferEncoding: readonly string[];
  /** Every Connection field value, one entry per field line. */
  readonly connection: readonly string[];
}

export type FramingDecision =
  | { readonly ok: true; readonly framing: ResponseFraming }
  | { readonly ok: false; readonly rule: string; readonly message: string };

const NONE_KEEP: ResponseFraming = Object.freeze({ kind: 'none', length: null, keepAlive: true });

/** True for statuses and methods whose responses never carry content (RFC 9112 §6.3 item 1). */
export function hasNoBody(status: number, requestMethod: string): boolean {
  return requestMethod === 'HEAD' || (status >= 100 && status < 200) || status === 204 || status === 304;
}

/** Decides how the body of a final response is delimited, or which rule it broke. */
export function decideFraming(input: FramingInput): FramingDecision {
  const persistent = connectionIsPersistent(input.httpVersion, input.connection);
  // §6.3 item 1: length is known without looking at framing fields. The
  // fields are still checked below when present, because a server that sends
  // a malformed Content-Length on a 304 is equally untrustworthy.
  const bodiless = hasNoBody(input.status, input.requestMethod);
  // §6.3 item 2: a 2xx to CONNECT switches to a tunnel; nothing more is HTTP.
  if (input.requestMethod === 'CONNECT' && input.status >= 200 && input.status < 300) {
    return { ok: true, framing: { kind: 'none', length: null, keepAlive: false } };
  }
  if (input.transferEncoding.length > 0) {
    if (input.httpVersion === '1.0') {
      // §6.1: Transfer-Encoding in a 1.0 message means the framing is faulty.
      return fail('transfer-encoding-http10', 'Transfer-Encoding in an HTTP/1.0 response');
    }
    const codings = parseCodings(input.transferEncoding);
    if (codings === null) return fail('transfer-encoding-invalid', 'Transfer-Encoding is not a coding list');
    const chunkedCount = codings.filter((coding) => coding === 'chunked').length;
    if (chunkedCount > 1) {
      return fail('transfer-encoding-chunked-twice', 'chunked applied more than once (RFC 9112 §6.1)');
    }
    if (codings.some((coding) => coding !== 'chunked')) {
      // We apply no transfer codings but chunked; delivering still-coded
      // bytes as the body would be a silent corruption.
      return fail('transfer-encoding-unsupported', `Unsupported transfer coding in ${codings.join(', ')}`);
    }
    if (bodiless) return { ok: true, framing: { kind: 'none', length: null, keepAlive: persistent } };
    // §6.3 item 3: with Content-Length too, chunked wins, and the connection
    // must not be reused since the two framings disagree about the next byte.
    const mixed = input.contentLength.length > 0;
    return { ok: true, framing: { kind: 'chunked', length: null, keepAlive: persistent && !mixed } };
  }
  if (input.contentLength.length > 0) {
    const length = parseContentLength(input.contentLength);
    if (length === 'invalid') return fail('content-length-invalid', 'Content-Length is not a decimal number');
    if (length === 'conflict') return fail('content-length-conflict', 'Content-Length values differ');
    if (bodiless) return { ok: true, framing: persistent ? NONE_KEEP : { ...NONE_KEEP, keepAlive: false } };
    return { ok: true, framing: { kind: 'length', length, keepAlive: persistent } };
  }
  if (bodiless) return { ok: true, framing: persistent ? NONE_KEEP : { ...NONE_KEEP, keepAlive: false } };
  // §6.3 item 8: read until the server closes; such a connection ends with the body.
  return { ok: true, framing: { kind: 'close', length: null, keepAlive: false } };
}

function fail(rule: string, message: string): FramingDecision {
  return { ok: false, rule, message };
}

/**
 * Content-Length = 1*DIGIT (RFC 9110 §8.6). A list of identical values
 * ("5, 5", or the same field twice) is accepted as the one value, as §8.6
 * allows; differing values are a conflict. Values beyond 2^53-1 are invalid:
 * no real body is that large and the number could not be held exactly.
 */
export function parseContentLength(values: readonly string[]): number | 'invalid' | 'conflict' {
  let result: number | null = null;
  for (const value of values) {
    let start = 0;
    const end = value.length;
    while (start <= end) {
      let stop = value.indexOf(',', start);
      if (stop === -1) stop = end;
      const item = trimSpaces(value, start, stop);
      const parsed = parseDigits(item);
      if (parsed === null) return 'invalid';
      if (result !== null && result !== parsed) return 'conflict';
      result = parsed;
      start = stop + 1;
    }
  }
  return result ?? 'invalid';
}

function parseDigits(text: string): number | null {
  if (text.length === 0 || text.length > 16) return null;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return null;
    value = value * 10 + (code - 0x30);
  }
  return value > Number.MAX_SAFE_INTEGER ? null : value;
}

function trimSpaces(value: string, start: number, end: number): string {
  while (start < end && isSpace(value.charCodeAt(start))) start++;
  while (end > start && isSpace(value.charCodeAt(end - 1))) end--;
  return value.slice(start, end);
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** Lower-cased coding names of Transfer-Encoding, parameters dropped; null when the list is malformed. */
export function parseCodings(values: readonly string[]): string[] | null {
  // The usual field is exactly "chunked": skip the split, trim and regex.
  if (values.length === 1 && (values[0] === 'chunked' || values[0]?.toLowerCase() === 'chunked')) {
    return ['chunked'];
  }
  const codings: string[] = [];
  for (const value of values) {
    for (const part of value.split(',')) {
      const item = part.trim();
      if (item === '') continue; // RFC 9110 §5.6.1: empty list elements are ignored
      const name = (item.split(';')[0] ?? '').trim().toLowerCase();
      if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) return null;
      codings.push(name);
    }
  }
  return codings.length === 0 ? null : codings;
}

/** Connection field tokens, lower-cased (RFC 9110 §7.6.1). */
export function connectionTokens(values: readonly string[]): string[] {
  const tokens: string[] = [];
  for (const value of values) {
    for (const part of value.split(',')) {
      const token = part.trim().toLowerCase();
      if (token !== '') tokens.push(token);
    }
  }
  return tokens;
}

/**
 * RFC 9112 §9.3: 1.1 is persistent unless "close"; 1.0 only with the
 * (obsolete but common) "keep-alive" token.
 */
export function connectionIsPersistent(httpVersion: '1.0' | '1.1', connection: readonly string[]): boolean {
  if (connection.length === 0) return httpVersion === '1.1';
  const tokens = connectionTokens(connection);
  if (tokens.includes('close')) return false;
  return httpVersion === '1.1' || tokens.includes('keep-alive');
}

/**
 * The `timeout=` parameter of a Keep-Alive field (RFC 2068 §19.7.1.1, still
 * sent by many servers), in milliseconds; undefined when absent or malformed.
 */
export function keepAliveTimeoutHint(value: string | null): number | undefined {
  if (value === null) return undefined;
  for (const part of value.split(',')) {
    const [rawName, rawValue] = part.split('=');
    if (rawName === undefined || rawValue === undefined) continue;
    if (rawName.trim().toLowerCase() !== 'timeout') continue;
    const seconds = rawValue.trim();
    if (!/^\d{1,9}$/.test(seconds)) return undefined;
    return Number(seconds) * 1000;
  }
  return undefined;
}

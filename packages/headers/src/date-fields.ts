/**
 * Fields that carry an HTTP-date or delta-seconds: Date, Expires,
 * Last-Modified (RFC 9110 §6.6.1, §8.8.2, RFC 9111 §5.3), Age (RFC 9111
 * §5.1) and Retry-After (RFC 9110 §10.2.3). Times are milliseconds since the
 * epoch; durations are seconds as sent.
 *
 * HTTP-dates contain a comma, so several field lines cannot be combined with
 * ", " the way list fields are. The HeaderList helpers read each line: when
 * all lines agree the value is used, when they disagree the result is
 * invalid ("conflicting field lines") — RFC 9111 §4.2.1 lets a cache either
 * use the first or consider the response stale, and invalid Expires already
 * means stale (RFC 9111 §5.3), so this is the conservative choice.
 */
import type { HeaderList } from './header-list.js';
import { type HttpDateOptions, parseHttpDate } from './http-date.js';
import { type Parsed, parsedInvalid, parsedOk } from './parsed.js';
import { parseSingleton } from './singleton-field.js';
import { findElementEnd, parseDeltaSeconds, skipOws, trimmedSlice } from './value-scanner.js';

function readDate(headers: HeaderList, name: string, options?: HttpDateOptions): Parsed<number> | null {
  return parseSingleton(headers, name, name, (value) => parseHttpDate(value, options));
}

/** Date of a header section (when the message was generated); null when absent. */
export function date(headers: HeaderList, options?: HttpDateOptions): Parsed<number> | null {
  return readDate(headers, 'date', options);
}

/** Last-Modified of a header section; null when absent. */
export function lastModified(headers: HeaderList, options?: HttpDateOptions): Parsed<number> | null {
  return readDate(headers, 'last-modified', options);
}

/**
 * Parses an Expires value. RFC 9111 §5.3: a cache MUST treat an invalid
 * value (notably "0") as a time in the past, so `ok: false` means "already
 * expired", not "no expiry".
 */
export function parseExpires(value: string | null | undefined, options?: HttpDateOptions): Parsed<number> {
  return parseHttpDate(value, options);
}

/** Expires of a header section; null when absent. `ok: false` means already expired (see parseExpires). */
export function expires(headers: HeaderList, options?: HttpDateOptions): Parsed<number> | null {
  return readDate(headers, 'expires', options);
}

/**
 * Parses an Age value in seconds, clamped to 2^31. RFC 9111 §5.1: a
 * list-valued Age uses its first member; anything but a non-negative
 * integer is invalid and the cache SHOULD ignore the field.
 */
export function parseAge(value: string | null | undefined): Parsed<number> {
  if (value === null || value === undefined) return parsedInvalid('absent');
  const start = skipOws(value, 0);
  const end = findElementEnd(value, start);
  const text = trimmedSlice(value, start, end);
  const seconds = parseDeltaSeconds(text, 0, text.length);
  return seconds === -1
    ? parsedInvalid(`Age is not delta-seconds: ${JSON.stringify(text)}`)
    : parsedOk(seconds);
}

/** Age of a header section, all lines combined (first member wins); null when absent. */
export function age(headers: HeaderList): Parsed<number> | null {
  const value = headers.get('age');
  return value === null ? null : parseAge(value);
}

/** Retry-After as sent: a delay in seconds, or a date. */
export type RetryAfter =
  | { readonly kind: 'delay'; readonly seconds: number }
  | { readonly kind: 'date'; readonly time: number };

/** Parses Retry-After: delta-seconds (clamped to 2^31) or an HTTP-date. Never throws. */
export function parseRetryAfter(
  value: string | null | undefined,
  options?: HttpDateOptions,
): Parsed<RetryAfter> {
  if (value === null || value === undefined) return parsedInvalid('absent');
  const start = skipOws(value, 0);
  const code = value.charCodeAt(start);
  if (code >= 0x30 && code <= 0x39) {
    const text = trimmedSlice(value, start, value.length);
    const seconds = parseDeltaSeconds(text, 0, text.length);
    if (seconds === -1)
      return parsedInvalid(`Retry-After is neither delta-seconds nor a date: ${JSON.stringify(text)}`);
    return parsedOk({ kind: 'delay', seconds });
  }
  const parsed = parseHttpDate(value, options);
  return parsed.ok ? parsedOk({ kind: 'date', time: parsed.value }) : parsed;
}

/** Retry-After of a header section; null when absent. */
export function retryAfter(headers: HeaderList, options?: HttpDateOptions): Parsed<RetryAfter> | null {
  return parseSingleton(headers, 'retry-after', 'retry-after', (value) => parseRetryAfter(value, options));
}

/** Milliseconds to wait from `now` (ms since the epoch); never negative. */
export function retryAfterDelay(retry: RetryAfter, now: number): number {
  return retry.kind === 'delay' ? retry.seconds * 1000 : Math.max(0, retry.time - now);
}

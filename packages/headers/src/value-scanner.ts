/**
 * Index-scanning primitives shared by the typed parsers: OWS, tokens,
 * quoted-strings and the list rule of RFC 9110 §5.6. Every function takes a
 * string and a start index and returns an end index, so parsers walk a value
 * once without regular expressions (no backtracking on hostile input) and
 * slice only what they keep.
 */
import { InvalidHeaderError } from './invalid-header-error.js';
import { isToken, isTokenChar } from './syntax.js';

/** One part of a received value a lenient parser left out, and why. */
export interface DroppedPart {
  /** The text that was ignored, as received (trimmed). */
  readonly text: string;
  /** Why it was ignored, e.g. "invalid max-age argument". */
  readonly reason: string;
}

const SPACE = 0x20;
const TAB = 0x09;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Index of the first character at or after `index` that is not SP / HTAB (RFC 9110 §5.6.3). */
export function skipOws(value: string, index: number): number {
  const length = value.length;
  while (index < length) {
    const code = value.charCodeAt(index);
    if (code !== SPACE && code !== TAB) break;
    index++;
  }
  return index;
}

/** Index just past the run of tchars starting at `index` (equal to `index` when there is none). */
export function scanToken(value: string, index: number): number {
  const length = value.length;
  while (index < length && isTokenChar(value.charCodeAt(index))) index++;
  return index;
}

/** qdtext and quoted-pair content of RFC 9110 §5.6.4: HTAB, SP, VCHAR and obs-text. */
function isQuotableChar(code: number): boolean {
  return code === TAB || (code >= 0x20 && code <= 0xff && code !== 0x7f);
}

/**
 * Index just past the closing DQUOTE of the quoted-string opening at `index`
 * (which must hold `"`), or -1 when it is unterminated or holds a character
 * RFC 9110 §5.6.4 does not allow (CR, LF, NUL, other controls).
 */
export function scanQuotedString(value: string, index: number): number {
  const length = value.length;
  index++;
  while (index < length) {
    const code = value.charCodeAt(index);
    if (code === QUOTE) return index + 1;
    if (code === BACKSLASH) {
      index++;
      if (index >= length || !isQuotableChar(value.charCodeAt(index))) return -1;
    } else if (!isQuotableChar(code)) {
      return -1;
    }
    index++;
  }
  return -1;
}

/**
 * The content of the quoted-string spanning `[start, end)` (quotes included),
 * with quoted-pairs undone. Slices without copying when there is no escape.
 */
export function unquote(value: string, start: number, end: number): string {
  const inner = value.slice(start + 1, end - 1);
  if (!inner.includes('\\')) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i] as string;
    if (ch === '\\') {
      i++;
      out += inner[i] ?? '';
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * Index of the comma that ends the list element containing `index`, or the
 * value's length. Commas inside quoted-strings do not count (RFC 9110 §5.6.1
 * recipients must not split there); an unterminated quote runs to the end.
 */
export function findElementEnd(value: string, index: number): number {
  const length = value.length;
  while (index < length) {
    const code = value.charCodeAt(index);
    if (code === COMMA) return index;
    if (code === QUOTE) {
      const end = scanQuotedString(value, index);
      if (end === -1) return length;
      index = end;
    } else {
      index++;
    }
  }
  return length;
}

/** Trimmed text of `[start, end)`, for DroppedPart reports. */
export function trimmedSlice(value: string, start: number, end: number): string {
  start = skipOws(value, start);
  while (end > start) {
    const code = value.charCodeAt(end - 1);
    if (code !== SPACE && code !== TAB) break;
    end--;
  }
  return value.slice(start, end);
}

/**
 * After an element's content ended at `index`: skips OWS and reports whether
 * the element is properly finished (at a comma or the end of the value).
 */
export function atElementEnd(value: string, index: number): boolean {
  index = skipOws(value, index);
  return index >= value.length || value.charCodeAt(index) === COMMA;
}

/** Largest delta-seconds value kept; RFC 9111 §1.2.2 says to clamp overflow to 2^31. */
export const DELTA_SECONDS_MAX = 2_147_483_648;

/**
 * Parses `1*DIGIT` in `[start, end)` as delta-seconds (RFC 9111 §1.2.2),
 * clamped to 2^31; -1 when the range is empty or holds a non-digit.
 */
export function parseDeltaSeconds(value: string, start: number, end: number): number {
  if (start >= end) return -1;
  let result = 0;
  for (let i = start; i < end; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return -1;
    if (result < DELTA_SECONDS_MAX) result = result * 10 + (code - 0x30);
  }
  return Math.min(result, DELTA_SECONDS_MAX);
}

/**
 * Parses `1*DIGIT` in `[start, end)` as a non-negative integer that must stay
 * exact in a double; -1 when empty, not digits, or beyond 2^53 - 1 (a byte
 * position that large cannot name a real offset, so it is refused rather than
 * rounded).
 */
export function parseSafeInteger(value: string, start: number, end: number): number {
  if (start >= end || end - start > 16) return -1;
  let result = 0;
  for (let i = start; i < end; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return -1;
    result = result * 10 + (code - 0x30);
  }
  return result > Number.MAX_SAFE_INTEGER ? -1 : result;
}

/**
 * Writes `text` as a token when it is one, otherwise as a quoted-string
 * (RFC 9110 §5.6.4). Throws InvalidHeaderError for characters a
 * quoted-string cannot carry (controls other than HTAB, DEL, > U+00FF).
 */
export function tokenOrQuoted(headerName: string, text: string): string {
  if (isToken(text)) return text;
  return quoteString(headerName, text);
}

/** Writes `text` as a quoted-string, escaping `"` and `\`; throws when it cannot be carried. */
export function quoteString(headerName: string, text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isQuotableChar(code)) {
      throw new InvalidHeaderError(
        headerName,
        `cannot carry U+${code.toString(16).toUpperCase().padStart(4, '0')} in a quoted-string`,
      );
    }
    if (code === QUOTE || code === BACKSLASH) out += '\\';
    out += text[i];
  }
  return `${out}"`;
}

/** Throws unless `value` is a non-negative safe integer. */
export function requireNonNegativeInteger(headerName: string, what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidHeaderError(headerName, `${what} must be a non-negative integer, not ${String(value)}`);
  }
}

/** Throws unless `value` is a token; returns it. */
export function requireToken(headerName: string, what: string, value: string): string {
  if (typeof value !== 'string' || !isToken(value)) {
    throw new InvalidHeaderError(headerName, `${what} ${JSON.stringify(value)} is not an RFC 9110 token`);
  }
  return value;
}

/** Shared empty arrays so the common no-problem result allocates nothing. */
export const NO_DROPPED: readonly DroppedPart[] = Object.freeze([]);

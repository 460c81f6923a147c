import { type BareItem, Decimal, DisplayString, Token } from './structured-field-types.js';

/**
 * Parsing of RFC 9651 bare items (§4.2.3.1 and §4.2.4 to §4.2.10). Every
 * function reads `cursor.input` from `cursor.index` with charCodeAt and
 * lookup tables (no regular expressions, no per-character allocation) and
 * leaves the index after what it consumed. Failure throws a `ParseFailure`,
 * which is not an Error (no stack trace to capture) and never escapes the
 * public `parse*` functions: they turn it into `{ ok: false, reason }`.
 */

/** A position in the text being parsed. */
export interface Cursor {
  readonly input: string;
  index: number;
}

/** Internal failure signal; caught by the public parse functions. */
export class ParseFailure {
  readonly reason: string;
  readonly index: number;
  constructor(reason: string, index: number) {
    this.reason = reason;
    this.index = index;
  }
}

export function fail(cursor: Cursor, reason: string): never {
  throw new ParseFailure(reason, cursor.index);
}

// sf-token characters after the first: tchar plus ":" and "/" (§3.3.4).
const TOKEN_CHARS = new Uint8Array(128);
for (const ch of "!#$%&'*+-.^_`|~:/") TOKEN_CHARS[ch.charCodeAt(0)] = 1;
// base64 alphabet of RFC 4648 §4 (not base64url), "=" handled separately.
const BASE64_CHARS = new Uint8Array(128);
for (const ch of '+/') BASE64_CHARS[ch.charCodeAt(0)] = 1;
for (let code = 0x30; code <= 0x39; code++) {
  TOKEN_CHARS[code] = 1;
  BASE64_CHARS[code] = 1;
}
for (let code = 0x41; code <= 0x5a; code++) {
  TOKEN_CHARS[code] = 1;
  TOKEN_CHARS[code + 0x20] = 1;
  BASE64_CHARS[code] = 1;
  BASE64_CHARS[code + 0x20] = 1;
}

function isAlpha(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** §4.2.3.1: dispatches on the first character. */
export function parseBareItem(cursor: Cursor): BareItem {
  const code = cursor.input.charCodeAt(cursor.index);
  if (code === 0x2d || isDigit(code)) return parseNumber(cursor);
  if (code === 0x22) return parseString(cursor);
  if (code === 0x2a || isAlpha(code)) return parseToken(cursor);
  if (code === 0x3a) return parseByteSequence(cursor);
  if (code === 0x3f) return parseBoolean(cursor);
  if (code === 0x40) return parseDate(cursor);
  if (code === 0x25) return parseDisplayString(cursor);
  return fail(cursor, Number.isNaN(code) ? 'expected a bare item, found the end' : 'expected a bare item');
}

/** §4.2.4: Integer (at most 15 digits) or Decimal (12 integer digits, 1 to 3 fractional). */
export function parseNumber(cursor: Cursor): number | Decimal {
  const input = cursor.input;
  let index = cursor.index;
  let negative = false;
  if (input.charCodeAt(index) === 0x2d) {
    negative = true;
    index++;
  }
  const start = index;
  if (!isDigit(input.charCodeAt(index))) {
    cursor.index = index;
    return fail(cursor, 'expected a digit');
  }
  let integer = 0;
  let dot = -1;
  for (;;) {
    const code = input.charCodeAt(index);
    if (isDigit(code)) {
      if (dot === -1) integer = integer * 10 + (code - 0x30);
      index++;
    } else if (code === 0x2e && dot === -1) {
      if (index - start > 12) {
        cursor.index = index;
        return fail(cursor, 'decimal has more than 12 integer digits');
      }
      dot = index;
      index++;
    } else {
      break;
    }
    if (index - start > (dot === -1 ? 15 : 16)) {
      cursor.index = index;
      return fail(cursor, dot === -1 ? 'integer has more than 15 digits' : 'decimal is too long');
    }
  }
  cursor.index = index;
  if (dot === -1) return negative ? (integer === 0 ? 0 : -integer) : integer;
  const fractionDigits = index - dot - 1;
  if (fractionDigits === 0) return fail(cursor, 'decimal ends with "."');
  if (fractionDigits > 3) return fail(cursor, 'decimal has more than 3 fractional digits');
  // Number() rounds the short decimal text correctly; only the digits go in.
  const magnitude = Number(input.slice(start, index));
  return new Decimal(negative && magnitude !== 0 ? -magnitude : magnitude);
}

/** §4.2.5: printable ASCII in double quotes; only \" and \\ are escapes. */
export function parseString(cursor: Cursor): string {
  const input = cursor.input;
  const length = input.length;
  let index = cursor.index + 1;
  let chunkStart = index;
  let result = '';
  while (index < length) {
    const code = input.charCodeAt(index);
    if (code === 0x22) {
      cursor.index = index + 1;
      return result + input.slice(chunkStart, index);
    }
    if (code === 0x5c) {
      const next = input.charCodeAt(index + 1);
      if (next !== 0x22 && next !== 0x5c) {
        cursor.index = index;
        return fail(cursor, 'string has an invalid escape');
      }
      result += input.slice(chunkStart, index);
      chunkStart = index + 1;
      index += 2;
      continue;
    }
    if (code < 0x20 || code > 0x7e) {
      cursor.index = index;
      return fail(cursor, 'string contains a character outside printable ASCII');
    }
    index++;
  }
  cursor.index = index;
  return fail(cursor, 'string is not closed');
}

/** §4.2.6: ALPHA or "*", then tchar, ":" or "/". */
export function parseToken(cursor: Cursor): Token {
  const input = cursor.input;
  const start = cursor.index;
  let index = start + 1;
  for (;;) {
    const code = input.charCodeAt(index);
    if (code < 128 && TOKEN_CHARS[code] === 1) index++;
    else break;
  }
  cursor.index = index;
  return new Token(input.slice(start, index));
}

/**
 * §4.2.7: base64 between colons. Following the RFC's advice to recipients,
 * missing "=" padding and non-zero padding bits are accepted; padding
 * anywhere but the end, other characters or base64url are not.
 */
export function parseByteSequence(cursor: Cursor): Uint8Array {
  const input = cursor.input;
  const start = cursor.index + 1;
  let index = start;
  let padding = 0;
  for (;;) {
    const code = input.charCodeAt(index);
    if (code === 0x3a) break;
    if (Number.isNaN(code)) {
      cursor.index = index;
      return fail(cursor, 'byte sequence is not closed');
    }
    if (code === 0x3d) {
      padding++;
    } else if (code >= 128 || BASE64_CHARS[code] === 0 || padding > 0) {
      cursor.index = index;
      return fail(cursor, 'byte sequence contains a character outside base64');
    }
    index++;
  }
  const dataLength = index - start - padding;
  if (dataLength % 4 === 1 || padding > 2 || (padding > 0 && (dataLength + padding) % 4 !== 0)) {
    cursor.index = index;
    return fail(cursor, 'byte sequence is not valid base64');
  }
  cursor.index = index + 1;
  if (dataLength === 0) return new Uint8Array(0);
  // Copy out of Buffer's shared pool so the caller's bytes own their memory.
  return new Uint8Array(Buffer.from(input.slice(start, start + dataLength), 'base64'));
}

/** §4.2.8: "?1" or "?0". */
export function parseBoolean(cursor: Cursor): boolean {
  const code = cursor.input.charCodeAt(cursor.index + 1);
  cursor.index += 2;
  if (code === 0x31) return true;
  if (code === 0x30) return false;
  cursor.index--;
  return fail(cursor, 'boolean must be ?1 or ?0');
}

/**
 * §4.2.9: "@" and an Integer of seconds since the epoch. Dates a JS Date
 * cannot hold (beyond ±8.64e12 s, far past the interoperable years 1-9999)
 * fail; the RFC allows that.
 */
export function parseDate(cursor: Cursor): Date {
  cursor.index++;
  const seconds = parseNumber(cursor);
  if (typeof seconds !== 'number') return fail(cursor, 'date must be an integer');
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return fail(cursor, 'date is out of range');
  return date;
}

/**
 * §4.2.10: `%"` then printable ASCII with lower-case `%xx` escapes, which
 * together must be valid UTF-8. A byte-order mark is kept as content.
 */
export function parseDisplayString(cursor: Cursor): DisplayString {
  const input = cursor.input;
  let index = cursor.index + 1;
  if (input.charCodeAt(index) !== 0x22) {
    cursor.index = index;
    return fail(cursor, 'display string must start with %"');
  }
  index++;
  const start = index;
  let bytes: Uint8Array | null = null;
  let byteCount = 0;
  while (index < input.length) {
    const code = input.charCodeAt(index);
    if (code === 0x22) {
      cursor.index = index + 1;
      if (bytes === null) return new DisplayString(input.slice(start, index));
      try {
        const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
        return new DisplayString(decoder.decode(bytes.subarray(0, byteCount)));
      } catch {
        return fail(cursor, 'display string is not valid UTF-8');
      }
    }
    if (code < 0x20 || code > 0x7e) {
      cursor.index = index;
      return fail(cursor, 'display string contains a character outside printable ASCII');
    }
    if (bytes === null && code === 0x25) {
      // First escape: from here on collect bytes. The text cannot decode to more bytes than characters.
      bytes = new Uint8Array(input.length - start);
      for (let copy = start; copy < index; copy++) bytes[byteCount++] = input.charCodeAt(copy);
    }
    if (code === 0x25) {
      const high = lowerHexValue(input.charCodeAt(index + 1));
      const low = lowerHexValue(input.charCodeAt(index + 2));
      if (high === -1 || low === -1) {
        cursor.index = index;
        return fail(cursor, 'display string has an invalid %-escape (lower-case hex required)');
      }
      (bytes as Uint8Array)[byteCount++] = (high << 4) | low;
      index += 3;
      continue;
    }
    if (bytes !== null) bytes[byteCount++] = code;
    index++;
  }
  cursor.index = index;
  return fail(cursor, 'display string is not closed');
}

function lowerHexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  return -1;
}

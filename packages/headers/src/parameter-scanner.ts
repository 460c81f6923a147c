import { isTokenChar } from './syntax.js';

/**
 * The small pieces of RFC 9110 §5.6 grammar that Link, Content-Disposition
 * and WWW-Authenticate share: tokens, quoted-strings, optional whitespace.
 * All index-based with charCodeAt; nothing here throws.
 */

export interface Scanner {
  readonly input: string;
  index: number;
}

/** Skips OWS / BWS (SP and HTAB), RFC 9110 §5.6.3. */
export function skipWhitespace(scanner: Scanner): void {
  const input = scanner.input;
  let index = scanner.index;
  for (;;) {
    const code = input.charCodeAt(index);
    if (code !== 0x20 && code !== 0x09) break;
    index++;
  }
  scanner.index = index;
}

/** Reads a token (RFC 9110 §5.6.2); "" when none starts here. */
export function readToken(scanner: Scanner): string {
  const input = scanner.input;
  const start = scanner.index;
  let index = start;
  while (index < input.length && isTokenChar(input.charCodeAt(index))) index++;
  scanner.index = index;
  return input.slice(start, index);
}

/**
 * Reads a quoted-string (RFC 9110 §5.6.4) starting at its opening quote and
 * returns its content with quoted-pairs undone, or null when it is not
 * closed or holds a control character (CR, LF and NUL included).
 */
export function readQuotedString(scanner: Scanner): string | null {
  const input = scanner.input;
  let index = scanner.index + 1;
  let chunkStart = index;
  let result = '';
  while (index < input.length) {
    const code = input.charCodeAt(index);
    if (code === 0x22) {
      scanner.index = index + 1;
      return result + input.slice(chunkStart, index);
    }
    if (code === 0x5c) {
      const next = input.charCodeAt(index + 1);
      if (Number.isNaN(next) || !isQuotedTextChar(next)) return null;
      result += input.slice(chunkStart, index);
      chunkStart = index + 1;
      index += 2;
      continue;
    }
    if (!isQuotedTextChar(code)) return null;
    index++;
  }
  return null;
}

/** HTAB, SP, VCHAR and obs-text (0x80-0xFF): what may sit inside quotes. */
function isQuotedTextChar(code: number): boolean {
  return code === 0x09 || (code >= 0x20 && code !== 0x7f && code <= 0xff);
}

/** A parameter value: token or quoted-string; null when neither is there. */
export function readTokenOrQuotedString(scanner: Scanner): string | null {
  if (scanner.input.charCodeAt(scanner.index) === 0x22) return readQuotedString(scanner);
  const token = readToken(scanner);
  return token === '' ? null : token;
}

/** Writes `value` as a token when it is one, else as a quoted-string. Caller has validated it. */
export function tokenOrQuotedString(value: string): string {
  let isToken = value.length > 0;
  for (let index = 0; isToken && index < value.length; index++)
    isToken = isTokenChar(value.charCodeAt(index));
  return isToken ? value : quotedString(value);
}

/** Writes `value` as a quoted-string, escaping `"` and `\`. Caller has validated it. */
export function quotedString(value: string): string {
  let text = '"';
  let chunkStart = 0;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code === 0x22 || code === 0x5c) {
      text += `${value.slice(chunkStart, index)}\\`;
      chunkStart = index;
    }
  }
  return `${text}${value.slice(chunkStart)}"`;
}

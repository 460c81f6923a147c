/**
 * RFC 8187 ext-value: how `filename*`, `title*` and other `name*`
 * parameters carry non-ASCII text in a header, e.g.
 * `UTF-8'en'%E2%82%AC%20rates`.
 *
 *   ext-value   = charset "'" [ language ] "'" value-chars
 *   value-chars = *( pct-encoded / attr-char )
 *
 * Only UTF-8 and ISO-8859-1 are decoded (§3.2.1: the two a recipient must
 * support); any other charset gives null, so the caller falls back to the
 * plain parameter as RFC 6266 §4.3 says.
 */

export interface ExtValue {
  /** Lower-cased charset: "utf-8" or "iso-8859-1". */
  readonly charset: 'utf-8' | 'iso-8859-1';
  /** Language tag as sent, or "" when none. */
  readonly language: string;
  /** The decoded text. */
  readonly value: string;
}

// attr-char of RFC 8187 §3.2.1: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
const ATTR_CHARS = new Uint8Array(128);
for (const ch of '!#$&+-.^_`|~') ATTR_CHARS[ch.charCodeAt(0)] = 1;
for (let code = 0x30; code <= 0x39; code++) ATTR_CHARS[code] = 1;
for (let code = 0x41; code <= 0x5a; code++) {
  ATTR_CHARS[code] = 1;
  ATTR_CHARS[code + 0x20] = 1;
}

export function isAttrChar(code: number): boolean {
  return code < 128 && ATTR_CHARS[code] === 1;
}

/** Decodes an ext-value; null when malformed or in a charset we do not decode. */
export function decodeExtValue(text: string): ExtValue | null {
  const firstQuote = text.indexOf("'");
  if (firstQuote <= 0) return null;
  const secondQuote = text.indexOf("'", firstQuote + 1);
  if (secondQuote === -1) return null;
  const charsetName = text.slice(0, firstQuote).toLowerCase();
  if (charsetName !== 'utf-8' && charsetName !== 'iso-8859-1') return null;
  const language = text.slice(firstQuote + 1, secondQuote);
  const bytes = new Uint8Array(text.length - secondQuote);
  let count = 0;
  for (let index = secondQuote + 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x25) {
      const high = hexValue(text.charCodeAt(index + 1));
      const low = hexValue(text.charCodeAt(index + 2));
      if (high === -1 || low === -1) return null;
      bytes[count++] = (high << 4) | low;
      index += 2;
    } else if (isAttrChar(code)) {
      bytes[count++] = code;
    } else {
      return null;
    }
  }
  const content = bytes.subarray(0, count);
  if (charsetName === 'iso-8859-1') {
    return { charset: charsetName, language, value: Buffer.from(content).toString('latin1') };
  }
  try {
    const value = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(content);
    return { charset: charsetName, language, value };
  } catch {
    return null;
  }
}

const HEX = '0123456789ABCDEF';

/** Encodes text as `UTF-8'language'value-chars`. Caller checks the text is well-formed. */
export function encodeExtValue(value: string, language = ''): string {
  const bytes = new TextEncoder().encode(value);
  let text = `UTF-8'${language}'`;
  for (const byte of bytes) {
    text += isAttrChar(byte) ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 0x0f]}`;
  }
  return text;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  return -1;
}

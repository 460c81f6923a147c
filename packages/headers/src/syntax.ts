/**
 * Character classes of RFC 9110 §5.6.2 (token) and §5.5 (field values), as
 * lookup tables: these checks run for every header of every message, so they
 * must not allocate or backtrack.
 */

const TOKEN_CHARS = new Uint8Array(128);
for (const ch of "!#$%&'*+-.^_`|~") TOKEN_CHARS[ch.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TOKEN_CHARS[c] = 1; // DIGIT
for (let c = 0x41; c <= 0x5a; c++) TOKEN_CHARS[c] = 1; // upper ALPHA
for (let c = 0x61; c <= 0x7a; c++) TOKEN_CHARS[c] = 1; // lower ALPHA

/** True when `value` is a non-empty RFC 9110 token (method, field name, coding name...). */
export function isToken(value: string): boolean {
  const length = value.length;
  if (length === 0) return false;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 128 || TOKEN_CHARS[code] === 0) return false;
  }
  return true;
}

/** True when `code` is a tchar. */
export function isTokenChar(code: number): boolean {
  return code < 128 && TOKEN_CHARS[code] === 1;
}

/**
 * Reason a caller-supplied field value cannot go on the wire, or null when it
 * can. CR, LF and NUL are what make header injection possible (RFC 9110 §5.5
 * lets a recipient reject them; a sender must never emit them). Other
 * controls are refused too because no server treats them consistently.
 * Characters above U+00FF cannot be written as a single octet.
 */
export function fieldValueProblem(value: string): string | null {
  const length = value.length;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20) {
      if (code === 0x09) continue; // HTAB is allowed inside values
      if (code === 0x0d) return 'contains CR';
      if (code === 0x0a) return 'contains LF';
      if (code === 0x00) return 'contains NUL';
      return `contains control character 0x${code.toString(16).padStart(2, '0')}`;
    }
    if (code === 0x7f) return 'contains DEL';
    if (code > 0xff)
      return `contains non-Latin-1 character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return null;
}

/** Strips leading and trailing optional whitespace (SP / HTAB), RFC 9110 §5.5. */
export function trimOws(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end) {
    const code = value.charCodeAt(start);
    if (code !== 0x20 && code !== 0x09) break;
    start++;
  }
  while (end > start) {
    const code = value.charCodeAt(end - 1);
    if (code !== 0x20 && code !== 0x09) break;
    end--;
  }
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** ASCII-only lower-casing; field names are tokens so this is exact and fast. */
export function asciiLower(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x41 && code <= 0x5a) return value.toLowerCase();
  }
  return value;
}

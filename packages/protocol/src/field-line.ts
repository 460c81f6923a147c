/**
 * One field line of a header or trailer section (RFC 9112 §5):
 *   field-line = field-name ":" OWS field-value OWS
 * parsed straight from bytes. Byte classes are table lookups; names and
 * values are decoded as latin1 (RFC 9110 §5.5: octets, obs-text kept).
 */

const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;

/** 1 for tchar (RFC 9110 §5.6.2); a local table keeps the hot loop free of calls. */
const TOKEN = new Uint8Array(256);
for (const char of "!#$%&'*+-.^_`|~") TOKEN[char.charCodeAt(0)] = 1;
for (let code = 0x30; code <= 0x39; code++) TOKEN[code] = 1;
for (let code = 0x41; code <= 0x5a; code++) TOKEN[code] = 1;
for (let code = 0x61; code <= 0x7a; code++) TOKEN[code] = 1;

/** Buffer's direct latin1 decoder: what `toString('latin1', start, end)` calls after its argument checks. */
interface Latin1Sliceable {
  latin1Slice(start: number, end: number): string;
}

/** Decodes bytes as latin1 (one char per octet), the field encoding of RFC 9110 §5.5. */
export function latin1(buffer: Buffer, start: number, end: number): string {
  return (buffer as unknown as Latin1Sliceable).latin1Slice(start, end);
}

/** 1 for bytes allowed in a field value (HTAB, SP, VCHAR, obs-text). */
const VALUE_OK = new Uint8Array(256);
VALUE_OK[HTAB] = 1;
for (let code = 0x20; code <= 0x7e; code++) VALUE_OK[code] = 1;
for (let code = 0x80; code <= 0xff; code++) VALUE_OK[code] = 1;

/** Rule names a field line can break; see the README for the list. */
export type FieldLineRule =
  | 'header-obs-fold'
  | 'header-invalid-name'
  | 'header-whitespace-before-colon'
  | 'header-nul'
  | 'header-bare-cr'
  | 'header-invalid-value';

export const FIELD_LINE_MESSAGES: Readonly<Record<FieldLineRule, string>> = {
  'header-obs-fold': 'Obsolete line folding in a field line',
  'header-invalid-name': 'Field name is not a token',
  'header-whitespace-before-colon': 'Whitespace between field name and colon (RFC 9112 §5.1)',
  'header-nul': 'NUL in a field value',
  'header-bare-cr': 'CR not followed by LF in a field line',
  'header-invalid-value': 'Control character in a field value',
};

/**
 * Parses `buffer[start, end)` (CRLF already removed, not empty) and pushes
 * name and value onto `raw`. An obs-fold line is joined onto the previous
 * value with one SP when `allowObsFold`. Returns the broken rule, or null.
 */
export function parseFieldLine(
  buffer: Buffer,
  start: number,
  end: number,
  raw: string[],
  allowObsFold: boolean,
  strings?: StringDecoderLike,
): FieldLineRule | null {
  const first = buffer[start] as number;
  if (first === SP || first === HTAB) {
    // RFC 9112 §5.2; a fold with nothing before it can never be unfolded.
    if (!allowObsFold || raw.length === 0) return 'header-obs-fold';
    const valueRange = valueBounds(buffer, start, end);
    if (typeof valueRange === 'string') return valueRange;
    if (valueRange[0] < valueRange[1]) {
      const previous = raw[raw.length - 1] as string;
      const addition = latin1(buffer, valueRange[0], valueRange[1]);
      raw[raw.length - 1] = previous === '' ? addition : `${previous} ${addition}`;
    }
    return null;
  }
  let colon = start;
  while (colon < end && TOKEN[buffer[colon] as number] === 1) colon++;
  if (colon === start || colon === end) return 'header-invalid-name';
  const stop = buffer[colon] as number;
  if (stop !== COLON) {
    return stop === SP || stop === HTAB ? spaceAfterName(buffer, colon, end) : 'header-invalid-name';
  }
  const valueRange = valueBounds(buffer, colon + 1, end);
  if (typeof valueRange === 'string') return valueRange;
  if (strings === undefined)
    raw.push(latin1(buffer, start, colon), latin1(buffer, valueRange[0], valueRange[1]));
  else raw.push(strings.get(buffer, start, colon), strings.get(buffer, valueRange[0], valueRange[1]));
  return null;
}

/** Anything that turns a byte range into a string (the parser's StringCache). */
/** One step of the string cache's hash (31 × hash + byte, in 32 bits), from 0 (string-cache.ts). */
export function mixByte(hash: number, byte: number): number {
  return (Math.imul(hash, 31) + byte) | 0;
}

export interface StringDecoderLike {
  get(buffer: Buffer, start: number, end: number): string;
  /** `get` for bytes whose hash (string-cache.ts `mixByte` from 0) the caller already computed. */
  getHashed(buffer: Buffer, start: number, end: number, hash: number): string;
}

/**
 * The common case in one pass: a complete, well-formed field line ending in
 * CRLF inside `buffer`, starting at `start`. Returns the offset after its LF,
 * or -1 for anything else (split line, obs-fold, bare LF, a broken rule),
 * which the caller then handles on the careful path that names the rule.
 */
export function fastFieldLine(
  buffer: Buffer,
  start: number,
  raw: string[],
  strings: StringDecoderLike,
): number {
  const end = buffer.length;
  let colon = start;
  // Name and value are hashed while scanned (for the string cache), so
  // each byte of a header line is read once on a cache hit's way in.
  let nameHash = 0;
  for (; colon < end; colon++) {
    const code = buffer[colon] as number;
    if (TOKEN[code] !== 1) break;
    nameHash = mixByte(nameHash, code);
  }
  if (colon === start || colon >= end || buffer[colon] !== COLON) return -1;
  let valueStart = colon + 1;
  while (valueStart < end) {
    const code = buffer[valueStart] as number;
    if (code !== SP && code !== HTAB) break;
    valueStart++;
  }
  let valueEnd = valueStart;
  let valueHash = 0;
  for (; valueEnd < end; valueEnd++) {
    const code = buffer[valueEnd] as number;
    if (VALUE_OK[code] !== 1) break;
    valueHash = mixByte(valueHash, code);
  }
  if (valueEnd + 1 >= end || buffer[valueEnd] !== 0x0d || buffer[valueEnd + 1] !== 0x0a) return -1;
  const next = valueEnd + 2;
  const scannedEnd = valueEnd;
  while (valueEnd > valueStart) {
    const code = buffer[valueEnd - 1] as number;
    if (code !== SP && code !== HTAB) break;
    valueEnd--;
  }
  const name = strings.getHashed(buffer, start, colon, nameHash);
  // Trailing whitespace (rare) was hashed too: hash the trimmed value afresh.
  const value =
    valueEnd === scannedEnd
      ? strings.getHashed(buffer, valueStart, valueEnd, valueHash)
      : strings.get(buffer, valueStart, valueEnd);
  raw.push(name, value);
  return next;
}

/** Validates a field value and returns its bounds without surrounding OWS. */
function valueBounds(buffer: Buffer, start: number, end: number): [number, number] | FieldLineRule {
  while (start < end) {
    const code = buffer[start] as number;
    if (code !== SP && code !== HTAB) break;
    start++;
  }
  for (let index = start; index < end; index++) {
    if (VALUE_OK[buffer[index] as number] === 0) {
      const code = buffer[index] as number;
      if (code === 0) return 'header-nul';
      if (code === 0x0d) return 'header-bare-cr';
      return 'header-invalid-value';
    }
  }
  while (end > start) {
    const code = buffer[end - 1] as number;
    if (code !== SP && code !== HTAB) break;
    end--;
  }
  return [start, end];
}

/** "Name : value" breaks RFC 9112 §5.1; "Two words: value" is simply not a token. */
function spaceAfterName(buffer: Buffer, index: number, end: number): FieldLineRule {
  while (index < end && (buffer[index] === SP || buffer[index] === HTAB)) index++;
  return buffer[index] === COLON ? 'header-whitespace-before-colon' : 'header-invalid-name';
}

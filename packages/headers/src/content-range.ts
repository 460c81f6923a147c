/**
 * Content-Range (RFC 9110 §14.4):
 *
 *   Content-Range     = range-unit SP ( range-resp / unsatisfied-range )
 *   range-resp        = incl-range "/" ( complete-length / "*" )
 *   unsatisfied-range = "*" "/" complete-length
 *
 * A value is invalid when last-pos < first-pos or complete-length <=
 * last-pos (§14.4). A client must not trust an invalid one: a cache or
 * resumable download that stitched bytes at a wrong offset would corrupt
 * data silently.
 */
import type { HeaderList } from './header-list.js';
import { InvalidHeaderError } from './invalid-header-error.js';
import { type Parsed, parsedInvalid, parsedOk } from './parsed.js';
import type { ByteRange } from './range.js';
import { parseSingleton } from './singleton-field.js';
import { asciiLower } from './syntax.js';
import {
  parseSafeInteger,
  requireNonNegativeInteger,
  requireToken,
  scanToken,
  skipOws,
} from './value-scanner.js';

export interface ContentRange {
  /** Lower-cased range unit, normally "bytes". */
  readonly unit: string;
  /** The enclosed range (end inclusive), or null for an unsatisfied-range (`*` + "/length", sent with 416). */
  readonly range: ByteRange | null;
  /** The representation's full length, or null when the server sent `*` (unknown). */
  readonly completeLength: number | null;
}

const HEADER = 'Content-Range';

/** Parses a Content-Range value. Never throws. */
export function parseContentRange(value: string | null | undefined): Parsed<ContentRange> {
  if (value === null || value === undefined) return parsedInvalid('absent');
  const start = skipOws(value, 0);
  let end = value.length;
  while (end > start && (value.charCodeAt(end - 1) === 0x20 || value.charCodeAt(end - 1) === 0x09)) end--;
  const unitEnd = scanToken(value, start);
  if (unitEnd === start || value.charCodeAt(unitEnd) !== 0x20)
    return parsedInvalid('Content-Range needs "unit range"');
  const unit = asciiLower(value.slice(start, unitEnd));
  const body = value.slice(unitEnd + 1, end);
  const slash = body.indexOf('/');
  if (slash === -1) return parsedInvalid('Content-Range has no "/"');
  const lengthText = body.slice(slash + 1);
  const completeLength = lengthText === '*' ? null : parseSafeInteger(lengthText, 0, lengthText.length);
  if (completeLength === -1) return parsedInvalid(`bad complete-length ${JSON.stringify(lengthText)}`);
  if (slash === 1 && body.charCodeAt(0) === 0x2a) {
    if (completeLength === null) return parsedInvalid('"*/*" is not a Content-Range');
    return parsedOk({ unit, range: null, completeLength });
  }
  const dash = body.indexOf('-');
  if (dash === -1 || dash > slash) return parsedInvalid('Content-Range needs "first-last"');
  const first = parseSafeInteger(body, 0, dash);
  const last = parseSafeInteger(body, dash + 1, slash);
  if (first === -1 || last === -1) return parsedInvalid('bad positions in Content-Range');
  if (last < first) return parsedInvalid('Content-Range last-pos is before first-pos');
  if (completeLength !== null && completeLength <= last) {
    return parsedInvalid('Content-Range complete-length is not beyond last-pos');
  }
  return parsedOk({ unit, range: { start: first, end: last }, completeLength });
}

/** Content-Range of a header section; null when absent, invalid when lines disagree. */
export function contentRange(headers: HeaderList): Parsed<ContentRange> | null {
  return parseSingleton(headers, 'content-range', 'Content-Range', parseContentRange);
}

/**
 * Writes a Content-Range value: `bytes 0-499/1234`, `bytes 0-499/*` or,
 * with `range: null`, the unsatisfied form for a 416. Throws
 * InvalidHeaderError for values §14.4 calls invalid.
 */
export function formatContentRange(contentRange: {
  readonly unit?: string | undefined;
  readonly range: ByteRange | null;
  readonly completeLength: number | null;
}): string {
  const unit = requireToken(HEADER, 'range unit', contentRange.unit ?? 'bytes');
  const { range, completeLength } = contentRange;
  if (completeLength !== null) requireNonNegativeInteger(HEADER, 'complete length', completeLength);
  if (range === null) {
    if (completeLength === null)
      throw new InvalidHeaderError(HEADER, 'an unsatisfied range needs the complete length');
    return `${unit} */${completeLength}`;
  }
  requireNonNegativeInteger(HEADER, 'range start', range.start);
  requireNonNegativeInteger(HEADER, 'range end', range.end);
  if (range.end < range.start) throw new InvalidHeaderError(HEADER, 'range end is before its start');
  if (completeLength !== null && completeLength <= range.end) {
    throw new InvalidHeaderError(HEADER, 'complete length must exceed the range end');
  }
  return `${unit} ${range.start}-${range.end}/${completeLength ?? '*'}`;
}

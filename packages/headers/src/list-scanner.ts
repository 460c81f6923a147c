/**
 * The list rule of RFC 9110 §5.6.1 as index-scanning steps shared by the
 * typed list parsers (Cache-Control, Vary, token lists, Keep-Alive,
 * If-Match, weighted lists, Range): skip the OWS and empty elements between
 * elements, and drop a malformed element up to its comma. Like the rest of
 * value-scanner.ts they take a string and an index and return an index, so
 * walking a list allocates nothing per element.
 */
import { type DroppedPart, findElementEnd, trimmedSlice } from './value-scanner.js';

const SPACE = 0x20;
const TAB = 0x09;
const COMMA = 0x2c;

/**
 * Index where the next list element starts, at or after `index`: OWS and
 * empty elements (bare commas) are skipped, since §5.6.1 tells recipients to
 * accept and ignore them. At least the value's length when no element is left.
 */
export function nextElementStart(value: string, index: number): number {
  // One pass over any run of SP, HTAB and commas: the same as skipping OWS,
  // then a comma, then OWS again, without a call per step.
  const length = value.length;
  while (index < length) {
    const code = value.charCodeAt(index);
    if (code !== SPACE && code !== TAB && code !== COMMA) break;
    index++;
  }
  return index;
}

/**
 * Reports the element starting at `start` as dropped for `reason` (its text
 * runs to the next comma outside a quoted-string) and returns the index just
 * past that comma, where the walk goes on.
 */
export function dropElement(value: string, start: number, reason: string, dropped: DroppedPart[]): number {
  const elementEnd = findElementEnd(value, start);
  dropped.push({ text: trimmedSlice(value, start, elementEnd), reason });
  return elementEnd + 1;
}

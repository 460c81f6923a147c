/**
 * The parameter rule shared by media types, Accept* elements and transfer
 * codings (RFC 9110 §5.6.6):
 *
 *   parameters      = *( OWS ";" OWS [ parameter ] )
 *   parameter       = parameter-name "=" parameter-value
 *   parameter-value = ( token / quoted-string )
 *
 * Empty parameters (";;") are allowed by the grammar. No whitespace is
 * allowed around "=" (§5.6.6 says so explicitly). A malformed parameter is
 * skipped up to the next ";" or "," and reported; its neighbours are kept.
 */
import { asciiLower } from './syntax.js';
import {
  type DroppedPart,
  scanQuotedString,
  scanToken,
  skipOws,
  trimmedSlice,
  unquote,
} from './value-scanner.js';

const SEMICOLON = 0x3b;
const COMMA = 0x2c;

/** Index of the next ";" or "," outside a quoted-string at or after `index`, or the length. */
function findSegmentEnd(value: string, index: number): number {
  const length = value.length;
  while (index < length) {
    const code = value.charCodeAt(index);
    if (code === SEMICOLON || code === COMMA) return index;
    if (code === 0x22) {
      const end = scanQuotedString(value, index);
      if (end === -1) return length;
      index = end;
    } else {
      index++;
    }
  }
  return length;
}

/**
 * Reads parameters starting at `index` (just after the thing they qualify)
 * into `out` as [lower-cased name, value] pairs, in order, duplicates
 * included. Stops at a "," outside quotes or the end of the value and
 * returns that index. Text before the first ";" that is not OWS is reported
 * and skipped.
 */
export function scanParameters(
  value: string,
  index: number,
  out: [string, string][],
  dropped: DroppedPart[],
): number {
  const length = value.length;
  while (true) {
    index = skipOws(value, index);
    if (index >= length) return length;
    const code = value.charCodeAt(index);
    if (code === COMMA) return index;
    if (code !== SEMICOLON) {
      const end = findSegmentEnd(value, index);
      dropped.push({ text: trimmedSlice(value, index, end), reason: 'unexpected text (expected ";")' });
      index = end;
      continue;
    }
    index = skipOws(value, index + 1);
    if (index >= length) return length;
    const start = index;
    const next = value.charCodeAt(index);
    if (next === SEMICOLON || next === COMMA) continue; // empty parameter
    const nameEnd = scanToken(value, index);
    let problem: string | null = null;
    let parameterValue = '';
    if (nameEnd === index) problem = 'not a parameter name';
    else if (value.charCodeAt(nameEnd) !== 0x3d) problem = 'parameter without "=" value';
    else {
      index = nameEnd + 1;
      if (value.charCodeAt(index) === 0x22) {
        const end = scanQuotedString(value, index);
        if (end === -1) problem = 'unterminated quoted-string';
        else {
          parameterValue = unquote(value, index, end);
          index = end;
        }
      } else {
        const end = scanToken(value, index);
        if (end === index) problem = 'empty parameter value';
        else {
          parameterValue = value.slice(index, end);
          index = end;
        }
      }
    }
    if (problem === null) {
      const after = skipOws(value, index);
      if (after < length && value.charCodeAt(after) !== SEMICOLON && value.charCodeAt(after) !== COMMA) {
        problem = 'unexpected text after parameter';
      }
    }
    if (problem !== null) {
      const end = findSegmentEnd(value, start);
      dropped.push({ text: trimmedSlice(value, start, end), reason: problem });
      index = end;
      continue;
    }
    out.push([asciiLower(value.slice(start, nameEnd)), parameterValue]);
  }
}

/**
 * Turns scanned pairs into a map, first occurrence winning (as WHATWG
 * MIME sniffing does); later duplicates are reported.
 */
export function toParameterMap(
  pairs: readonly [string, string][],
  dropped: DroppedPart[],
): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, parameterValue] of pairs) {
    if (map.has(name))
      dropped.push({ text: `${name}=${parameterValue}`, reason: `duplicate parameter ${name}` });
    else map.set(name, parameterValue);
  }
  return map;
}

/** Shared input shape for parameters callers give to serialisers. */
export type MediaParametersInit =
  | ReadonlyMap<string, string>
  | Readonly<Record<string, string>>
  | Iterable<readonly [string, string]>;

/** Own entries of a MediaParametersInit, in order. */
export function parameterEntries(init: MediaParametersInit | undefined): [string, string][] {
  if (init === undefined) return [];
  if (init instanceof Map) return [...(init as ReadonlyMap<string, string>)];
  if (typeof (init as Iterable<unknown>)[Symbol.iterator] === 'function') {
    return [...(init as Iterable<readonly [string, string]>)].map(([name, value]) => [name, value]);
  }
  const record = init as Readonly<Record<string, string>>;
  return Object.keys(record).map((name) => [name, record[name] as string]);
}

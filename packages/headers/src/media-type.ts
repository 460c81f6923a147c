/**
 * Media types and Content-Type (RFC 9110 §8.3.1, parameters §5.6.6):
 *
 *   media-type = type "/" subtype parameters
 *
 * Type, subtype and parameter names are case-insensitive and come back
 * lower-cased; parameter values are kept as sent (only `charsetOf`
 * lower-cases, since charset names are case-insensitive). A malformed
 * parameter is skipped and reported rather than losing the whole type, and
 * a repeated parameter keeps its first value, as browsers do
 * (WHATWG MIME Sniffing "parse a MIME type").
 */
import type { HeaderList } from './header-list.js';
import { InvalidHeaderError } from './invalid-header-error.js';
import { type MediaParametersInit, parameterEntries, scanParameters, toParameterMap } from './parameters.js';
import { type Parsed, parsedInvalid, parsedOk } from './parsed.js';
import { parseSingleton } from './singleton-field.js';
import { asciiLower } from './syntax.js';
import {
  type DroppedPart,
  NO_DROPPED,
  requireToken,
  scanToken,
  skipOws,
  tokenOrQuoted,
} from './value-scanner.js';

export interface MediaType {
  /** Lower-cased top-level type, e.g. "text". */
  readonly type: string;
  /** Lower-cased subtype, e.g. "html". */
  readonly subtype: string;
  /** Lower-cased parameter names → values as sent (unquoted), in order. */
  readonly parameters: ReadonlyMap<string, string>;
  /** Parameters that were skipped, and why. */
  readonly dropped: readonly DroppedPart[];
}

/** What a caller gives to `formatMediaType`. */
export interface MediaTypeInit {
  readonly type: string;
  readonly subtype: string;
  readonly parameters?: MediaParametersInit | undefined;
}

const EMPTY_PARAMETERS: ReadonlyMap<string, string> = new Map();

/**
 * Reads `type "/" subtype` at `index`. Returns the index after the subtype,
 * or -1 when either part is not a token or the slash is missing.
 * @internal Shared with the Accept parser.
 */
export function scanTypeAndSubtype(value: string, index: number): number {
  const typeEnd = scanToken(value, index);
  if (typeEnd === index || value.charCodeAt(typeEnd) !== 0x2f) return -1;
  const subtypeEnd = scanToken(value, typeEnd + 1);
  return subtypeEnd === typeEnd + 1 ? -1 : subtypeEnd;
}

/**
 * Parses a media type such as a Content-Type value. Never throws: a value
 * without a valid `type/subtype`, or with text after its parameters (such
 * as a second media type after a comma), is `ok: false`.
 */
export function parseMediaType(value: string | null | undefined): Parsed<MediaType> {
  if (value === null || value === undefined) return parsedInvalid('absent');
  const start = skipOws(value, 0);
  const end = scanTypeAndSubtype(value, start);
  if (end === -1) return parsedInvalid(`not a media type: ${JSON.stringify(value.trim())}`);
  const slash = value.indexOf('/', start);
  const type = asciiLower(value.slice(start, slash));
  const subtype = asciiLower(value.slice(slash + 1, end));
  const afterType = skipOws(value, end);
  if (afterType >= value.length) {
    return parsedOk({ type, subtype, parameters: EMPTY_PARAMETERS, dropped: NO_DROPPED });
  }
  if (value.charCodeAt(afterType) === 0x2c) return parsedInvalid('more than one media type (unexpected ",")');
  if (value.charCodeAt(afterType) !== 0x3b) {
    return parsedInvalid(`unexpected text after the media type: ${JSON.stringify(value.trim())}`);
  }
  const pairs: [string, string][] = [];
  const dropped: DroppedPart[] = [];
  const stop = scanParameters(value, end, pairs, dropped);
  if (stop < value.length) return parsedInvalid('more than one media type (unexpected ",")');
  const parameters = toParameterMap(pairs, dropped);
  return parsedOk({ type, subtype, parameters, dropped });
}

/**
 * Content-Type of a header section; null when absent. Content-Type is a
 * singleton: repeated identical lines are read once, differing lines are
 * invalid (RFC 9110 §5.3 — guessing which one the server meant is how
 * content-sniffing confusions start).
 */
export function contentType(headers: HeaderList): Parsed<MediaType> | null {
  return parseSingleton(headers, 'content-type', 'Content-Type', parseMediaType);
}

/** The charset parameter, lower-cased, or undefined. */
export function charsetOf(mediaType: MediaType): string | undefined {
  const charset = mediaType.parameters.get('charset');
  return charset === undefined ? undefined : charset.toLowerCase();
}

/** "type/subtype", lower-cased: the part to compare when parameters do not matter. */
export function essenceOf(mediaType: Pick<MediaType, 'type' | 'subtype'>): string {
  return `${mediaType.type}/${mediaType.subtype}`;
}

/**
 * Writes a media type, e.g. `text/html; charset=utf-8`. Parameter values
 * that are not tokens are quoted. Throws InvalidHeaderError when the type,
 * subtype or a parameter name is not a token, or a value cannot be carried.
 */
export function formatMediaType(init: MediaTypeInit | MediaType): string {
  const header = 'Content-Type';
  let text = `${requireToken(header, 'type', init.type)}/${requireToken(header, 'subtype', init.subtype)}`;
  for (const [name, parameterValue] of parameterEntries(init.parameters)) {
    requireToken(header, 'parameter name', name);
    if (typeof parameterValue !== 'string') {
      throw new InvalidHeaderError(header, `parameter ${name} must be a string`);
    }
    text += `; ${name}=${tokenOrQuoted(header, parameterValue)}`;
  }
  return text;
}

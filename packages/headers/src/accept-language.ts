/**
 * Accept-Language (RFC 9110 §12.5.4): `#( language-range [ weight ] )`,
 * language-range = `1*8ALPHA *( "-" 1*8alphanum ) / "*"` (RFC 4647 §2.1).
 * Ranges are lower-cased (language tags are case-insensitive) and sorted by
 * quality (stable). Matching is RFC 4647 §3.3.1 basic filtering: a range
 * matches a tag equal to it or starting with it followed by "-".
 */
import type { HeaderList } from './header-list.js';
import { InvalidHeaderError } from './invalid-header-error.js';
import { bestOffer, scanWeightedList, sortByPreference, weightSuffix } from './quality-value.js';
import type { DroppedPart } from './value-scanner.js';

export interface AcceptLanguageEntry {
  /** Lower-cased language range, e.g. "en-gb", or "*". */
  readonly range: string;
  readonly quality: number;
}

export interface AcceptLanguage {
  /** Sorted by descending quality, ties in the order sent. */
  readonly entries: readonly AcceptLanguageEntry[];
  readonly dropped: readonly DroppedPart[];
}

function isAlpha(code: number): boolean {
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Scans a language-range; returns its end or -1. */
function scanLanguageRange(value: string, index: number): number {
  if (value.charCodeAt(index) === 0x2a) return index + 1;
  let subtagStart = index;
  let first = true;
  while (true) {
    let position = subtagStart;
    while (position < value.length && position - subtagStart < 9) {
      const code = value.charCodeAt(position);
      if (!isAlpha(code) && (first || !isDigit(code))) break;
      position++;
    }
    const width = position - subtagStart;
    if (width === 0 || width > 8) return -1;
    if (value.charCodeAt(position) !== 0x2d) return position;
    subtagStart = position + 1;
    first = false;
  }
}

/** Parses an Accept-Language value. Never throws; null gives no entries. */
export function parseAcceptLanguage(value: string | null | undefined): AcceptLanguage {
  const dropped: DroppedPart[] = [];
  if (value === null || value === undefined) return { entries: [], dropped };
  const elements = scanWeightedList(value, scanLanguageRange, dropped, 'a language range');
  const entries = elements.map(
    (element): AcceptLanguageEntry => ({
      range: value.slice(element.start, element.end).toLowerCase(),
      quality: element.quality,
    }),
  );
  return { entries: sortByPreference(entries), dropped };
}

/** Accept-Language of a header section (lines combined); null when absent. */
export function acceptLanguage(headers: HeaderList): AcceptLanguage | null {
  const value = headers.get('accept-language');
  return value === null ? null : parseAcceptLanguage(value);
}

/**
 * The quality given to language tag `tag`: that of the longest matching
 * range, 0 when none matches; 1 when the header is absent (null).
 */
export function languageQuality(acceptLanguage: AcceptLanguage | null, tag: string): number {
  if (acceptLanguage === null) return 1;
  const wanted = tag.toLowerCase();
  let bestLength = -1;
  let quality = 0;
  for (const entry of acceptLanguage.entries) {
    const range = entry.range;
    const matches =
      range === '*' ||
      range === wanted ||
      (wanted.length > range.length && wanted.startsWith(range) && wanted.charCodeAt(range.length) === 0x2d);
    const length = range === '*' ? 0 : range.length;
    if (matches && length > bestLength) {
      bestLength = length;
      quality = entry.quality;
    }
  }
  return quality;
}

/** The offered tag the client prefers (ties: earlier offer); undefined when none is acceptable. */
export function preferredLanguage(
  acceptLanguage: AcceptLanguage | null,
  offers: readonly string[],
): string | undefined {
  return bestOffer(offers, (offer) => languageQuality(acceptLanguage, offer));
}

/** Writes an Accept-Language value in the order given. Throws InvalidHeaderError for a malformed range or quality. */
export function formatAcceptLanguage(
  entries: readonly (string | { readonly range: string; readonly quality?: number | undefined })[],
): string {
  if (entries.length === 0)
    throw new InvalidHeaderError('Accept-Language', 'needs at least one language range');
  return entries
    .map((entry) => {
      const range = typeof entry === 'string' ? entry : entry.range;
      if (typeof range !== 'string' || scanLanguageRange(range, 0) !== range.length) {
        throw new InvalidHeaderError('Accept-Language', `${JSON.stringify(range)} is not a language range`);
      }
      return range + weightSuffix('Accept-Language', typeof entry === 'string' ? undefined : entry.quality);
    })
    .join(', ');
}

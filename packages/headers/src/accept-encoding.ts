/**
 * Accept-Encoding (RFC 9110 §12.5.3): `#( codings [ weight ] )`, codings =
 * content-coding / "identity" / "*". Codings are lower-cased; entries are
 * sorted by quality (stable). An empty value is meaningful: the client
 * wants no content coding at all — only identity.
 */
import type { HeaderList } from './header-list.js';
import { InvalidHeaderError } from './invalid-header-error.js';
import { bestOffer, scanWeightedList, sortByPreference, weightSuffix } from './quality-value.js';
import { asciiLower } from './syntax.js';
import { type DroppedPart, requireToken, scanToken } from './value-scanner.js';

export interface AcceptEncodingEntry {
  /** Lower-cased coding, "identity" or "*". */
  readonly coding: string;
  readonly quality: number;
}

export interface AcceptEncoding {
  /** Sorted by descending quality, ties in the order sent. */
  readonly entries: readonly AcceptEncodingEntry[];
  readonly dropped: readonly DroppedPart[];
}

function scanCoding(value: string, index: number): number {
  const end = scanToken(value, index);
  return end === index ? -1 : end;
}

/** Parses an Accept-Encoding value. Never throws; null gives no entries. */
export function parseAcceptEncoding(value: string | null | undefined): AcceptEncoding {
  const dropped: DroppedPart[] = [];
  if (value === null || value === undefined) return { entries: [], dropped };
  const elements = scanWeightedList(value, scanCoding, dropped, 'a content coding');
  const entries = elements.map(
    (element): AcceptEncodingEntry => ({
      coding: asciiLower(value.slice(element.start, element.end)),
      quality: element.quality,
    }),
  );
  return { entries: sortByPreference(entries), dropped };
}

/** Accept-Encoding of a header section (lines combined); null when absent. */
export function acceptEncoding(headers: HeaderList): AcceptEncoding | null {
  const value = headers.get('accept-encoding');
  return value === null ? null : parseAcceptEncoding(value);
}

/**
 * How acceptable `coding` is (RFC 9110 §12.5.3): its own entry, else `*`,
 * else — for "identity" only — acceptable (quality 1) unless excluded by
 * `identity;q=0` or `*;q=0`. An absent header (null) accepts everything.
 */
export function encodingQuality(acceptEncoding: AcceptEncoding | null, coding: string): number {
  if (acceptEncoding === null) return 1;
  const wanted = asciiLower(coding);
  let star: number | undefined;
  for (const entry of acceptEncoding.entries) {
    if (entry.coding === wanted) return entry.quality;
    if (entry.coding === '*' && star === undefined) star = entry.quality;
  }
  if (star !== undefined) return star;
  return wanted === 'identity' ? 1 : 0;
}

/** The offered coding the client prefers (ties: earlier offer); undefined when none is acceptable. */
export function preferredEncoding(
  acceptEncoding: AcceptEncoding | null,
  offers: readonly string[],
): string | undefined {
  return bestOffer(offers, (offer) => encodingQuality(acceptEncoding, offer));
}

/**
 * Writes an Accept-Encoding value in the order given, e.g.
 * `gzip, br, identity;q=0.5`. An empty list writes "" (identity only).
 * Throws InvalidHeaderError for non-token codings or bad qualities.
 */
export function formatAcceptEncoding(
  entries: readonly (string | { readonly coding: string; readonly quality?: number | undefined })[],
): string {
  return entries
    .map((entry) => {
      const coding = typeof entry === 'string' ? entry : entry.coding;
      if (typeof coding !== 'string')
        throw new InvalidHeaderError('Accept-Encoding', 'coding must be a string');
      requireToken('Accept-Encoding', 'coding', coding);
      return coding + weightSuffix('Accept-Encoding', typeof entry === 'string' ? undefined : entry.quality);
    })
    .join(', ');
}

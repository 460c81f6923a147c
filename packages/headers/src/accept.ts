/**
 * Accept (RFC 9110 §12.5.1): `#( media-range [ weight ] )`, with
 *
 *   media-range = ( "* / *" / ( type "/" "*" ) / ( type "/" subtype ) ) parameters
 *
 * (spaces added around "/" only to keep this comment open). Entries come
 * back sorted by preference: quality first, then specificity (a range
 * with parameters beats `type/subtype`, which beats `type/*`, which beats
 * the any-range), then the order sent.
 * Negotiation follows §12.5.1: a media type takes the quality of the most
 * specific range that matches it.
 */
import type { HeaderList } from './header-list.js';
import { InvalidHeaderError } from './invalid-header-error.js';
import {
  formatMediaType,
  type MediaType,
  type MediaTypeInit,
  parseMediaType,
  scanTypeAndSubtype,
} from './media-type.js';
import { bestOffer, scanWeightedList, sortByPreference, weightSuffix } from './quality-value.js';
import { asciiLower } from './syntax.js';
import type { DroppedPart } from './value-scanner.js';

export interface AcceptEntry {
  /** Lower-cased type, or "*". */
  readonly type: string;
  /** Lower-cased subtype, or "*". */
  readonly subtype: string;
  /** Media-range parameters (before q), lower-cased names. */
  readonly parameters: ReadonlyMap<string, string>;
  /** 0..1; 0 means "not acceptable". */
  readonly quality: number;
}

export interface Accept {
  /** Sorted by preference (see the module comment). */
  readonly entries: readonly AcceptEntry[];
  readonly dropped: readonly DroppedPart[];
}

/** An Accept element to send: a media range string such as "text/*", or its parts, with an optional quality. */
export type AcceptInit =
  | string
  | (MediaTypeInit & { readonly quality?: number | undefined })
  | { readonly mediaRange: string; readonly quality?: number | undefined };

function scanMediaRange(value: string, index: number): number {
  const end = scanTypeAndSubtype(value, index);
  if (end === -1) return -1;
  // "*/html" is not a media range: a wildcard type needs a wildcard subtype.
  if (value.charCodeAt(index) === 0x2a && value.charCodeAt(index + 1) === 0x2f) {
    return end === index + 3 && value.charCodeAt(index + 2) === 0x2a ? end : -1;
  }
  return end;
}

function specificity(entry: AcceptEntry): number {
  if (entry.type === '*') return 0;
  if (entry.subtype === '*') return 1;
  return 2 + entry.parameters.size;
}

/** Parses an Accept value (lines combined are fine). Never throws; null gives no entries. */
export function parseAccept(value: string | null | undefined): Accept {
  const dropped: DroppedPart[] = [];
  if (value === null || value === undefined) return { entries: [], dropped };
  const elements = scanWeightedList(value, scanMediaRange, dropped, 'a media range');
  const entries = elements.map((element): AcceptEntry => {
    const slash = value.indexOf('/', element.start);
    const parameters = new Map<string, string>();
    for (const [name, parameterValue] of element.parameters)
      if (!parameters.has(name)) parameters.set(name, parameterValue);
    return {
      type: asciiLower(value.slice(element.start, slash)),
      subtype: asciiLower(value.slice(slash + 1, element.end)),
      parameters,
      quality: element.quality,
    };
  });
  return { entries: sortByPreference(entries, specificity), dropped };
}

/** Accept of a header section (lines combined); null when absent (everything acceptable). */
export function accept(headers: HeaderList): Accept | null {
  const value = headers.get('accept');
  return value === null ? null : parseAccept(value);
}

function rangeMatches(entry: AcceptEntry, mediaType: MediaType): boolean {
  if (entry.type === '*') return true;
  if (entry.type !== mediaType.type) return false;
  if (entry.subtype === '*') return true;
  if (entry.subtype !== mediaType.subtype) return false;
  for (const [name, parameterValue] of entry.parameters) {
    const offered = mediaType.parameters.get(name);
    if (offered === undefined) return false;
    // charset names are case-insensitive (RFC 9110 §8.3.2); other values compare exactly.
    if (
      name === 'charset' ? offered.toLowerCase() !== parameterValue.toLowerCase() : offered !== parameterValue
    ) {
      return false;
    }
  }
  return true;
}

/**
 * The quality `accept` gives a media type: that of the most specific
 * matching range, 0 when none matches. A null Accept (absent header)
 * accepts everything with quality 1.
 */
export function mediaTypeQuality(accept: Accept | null, mediaType: string | MediaType): number {
  if (accept === null) return 1;
  const parsed =
    typeof mediaType === 'string' ? parseMediaType(mediaType) : { ok: true as const, value: mediaType };
  if (!parsed.ok) return 0;
  let best: AcceptEntry | undefined;
  for (const entry of accept.entries) {
    if (rangeMatches(entry, parsed.value) && (best === undefined || specificity(entry) > specificity(best))) {
      best = entry;
    }
  }
  return best === undefined ? 0 : best.quality;
}

/**
 * Picks the offer the client prefers: highest quality above 0, ties going
 * to the earlier offer (list your own preference first). Undefined when
 * nothing offered is acceptable; the first offer when Accept is absent.
 */
export function preferredMediaType(accept: Accept | null, offers: readonly string[]): string | undefined {
  return bestOffer(offers, (offer) => mediaTypeQuality(accept, offer));
}

/**
 * Writes an Accept value in the order given. Throws InvalidHeaderError for
 * a malformed media range, a `* /subtype` range or a quality outside the
 * qvalue grammar.
 */
export function formatAccept(entries: readonly AcceptInit[]): string {
  if (entries.length === 0) throw new InvalidHeaderError('Accept', 'needs at least one media range');
  return entries
    .map((entry) => {
      let text: string;
      let quality: number | undefined;
      if (typeof entry === 'string' || 'mediaRange' in entry) {
        const rangeText = typeof entry === 'string' ? entry : entry.mediaRange;
        quality = typeof entry === 'string' ? undefined : entry.quality;
        const parsed = parseMediaType(rangeText);
        if (!parsed.ok || parsed.value.dropped.length > 0) {
          throw new InvalidHeaderError('Accept', `${JSON.stringify(rangeText)} is not a media range`);
        }
        text = formatMediaType(parsed.value);
      } else {
        text = formatMediaType(entry);
        quality = entry.quality;
      }
      if (scanMediaRange(text, 0) === -1)
        throw new InvalidHeaderError('Accept', `${text} is not a media range`);
      const written = parseMediaType(text);
      if (written.ok && written.value.parameters.has('q')) {
        throw new InvalidHeaderError('Accept', 'give q as quality, not as a parameter');
      }
      return text + weightSuffix('Accept', quality);
    })
    .join(', ');
}

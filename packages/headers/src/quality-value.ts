/**
 * Quality values and the weighted lists built on them (RFC 9110 §12.4.2):
 *
 *   weight = OWS ";" OWS "q=" qvalue
 *   qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
 *
 * Qualities are numbers in [0, 1] with at most three decimals. An element
 * whose q is malformed (`q=.5`, `q=0.1234`, `q=2`) is dropped and reported
 * rather than guessed: a wrong weight can flip a negotiation, and q=0 means
 * "not acceptable".
 */
import { InvalidHeaderError } from './invalid-header-error.js';
import { dropElement, nextElementStart } from './list-scanner.js';
import { scanParameters } from './parameters.js';
import { type DroppedPart, trimmedSlice } from './value-scanner.js';

/** Parses a qvalue into thousandths (0..1000), or -1 when it breaks the grammar. */
export function parseQualityThousandths(text: string): number {
  const length = text.length;
  if (length === 0 || length > 5) return -1;
  const lead = text.charCodeAt(0);
  if (lead !== 0x30 && lead !== 0x31) return -1;
  if (length === 1) return lead === 0x31 ? 1000 : 0;
  if (text.charCodeAt(1) !== 0x2e) return -1;
  let thousandths = 0;
  let scale = 100;
  for (let i = 2; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return -1;
    thousandths += (code - 0x30) * scale;
    scale /= 10;
  }
  if (lead === 0x31) return thousandths === 0 ? 1000 : -1;
  return thousandths;
}

/** Writes a quality as a qvalue ("1", "0.5", "0.123"); throws for values outside the grammar. */
export function formatQuality(headerName: string, quality: number): string {
  const thousandths = Math.round(quality * 1000);
  if (
    !Number.isFinite(quality) ||
    quality < 0 ||
    quality > 1 ||
    Math.abs(quality * 1000 - thousandths) > 1e-6
  ) {
    throw new InvalidHeaderError(
      headerName,
      `quality ${String(quality)} is not 0..1 with at most 3 decimals`,
    );
  }
  if (thousandths === 1000) return '1';
  if (thousandths === 0) return '0';
  return `0.${String(thousandths).padStart(3, '0').replace(/0+$/, '')}`;
}

/** The weight suffix to append to an element, or "" for the default quality 1. */
export function weightSuffix(headerName: string, quality: number | undefined): string {
  if (quality === undefined) return '';
  const text = formatQuality(headerName, quality);
  return text === '1' ? '' : `;q=${text}`;
}

/** One element of a weighted list, located in the source value. */
export interface WeightedElement {
  /** Where the item (before any parameter) starts and ends. */
  readonly start: number;
  readonly end: number;
  /** Parameters before q, lower-cased names, in order. */
  readonly parameters: [string, string][];
  readonly quality: number;
}

/**
 * Walks a weighted list: for each element, `scanItem(value, index)` returns
 * the end of the item or -1 when it is not one. Parameters before `q` are
 * collected; parameters after it are ignored and reported (RFC 9110 removed
 * accept-ext). Malformed elements are dropped and reported.
 */
export function scanWeightedList(
  value: string,
  scanItem: (value: string, index: number) => number,
  dropped: DroppedPart[],
  what: string,
): WeightedElement[] {
  const elements: WeightedElement[] = [];
  const length = value.length;
  for (let index = nextElementStart(value, 0); index < length; index = nextElementStart(value, index)) {
    const start = index;
    const end = scanItem(value, index);
    if (end === -1) {
      index = dropElement(value, start, `not ${what}`, dropped);
      continue;
    }
    const pairs: [string, string][] = [];
    const problems: DroppedPart[] = [];
    const stop = scanParameters(value, end, pairs, problems);
    const elementText = (): string => trimmedSlice(value, start, stop);
    index = stop + 1;
    if (problems.length > 0) {
      dropped.push({ text: elementText(), reason: `malformed parameter in ${what}` });
      continue;
    }
    let quality = 1000;
    let parameters = pairs;
    const qIndex = pairs.findIndex(([name]) => name === 'q');
    if (qIndex !== -1) {
      quality = parseQualityThousandths((pairs[qIndex] as [string, string])[1]);
      if (quality === -1) {
        dropped.push({ text: elementText(), reason: 'invalid qvalue' });
        continue;
      }
      if (qIndex < pairs.length - 1)
        dropped.push({ text: elementText(), reason: 'parameters after q ignored' });
      parameters = pairs.slice(0, qIndex);
    }
    elements.push({ start, end, parameters, quality: quality / 1000 });
  }
  return elements;
}

/** Stable sort by descending quality, then by `tieBreak` (higher first), then wire order. */
export function sortByPreference<T extends { readonly quality: number }>(
  items: readonly T[],
  tieBreak?: (item: T) => number,
): T[] {
  return items
    .map((item, order) => ({ item, order, rank: tieBreak === undefined ? 0 : tieBreak(item) }))
    .sort((a, b) => b.item.quality - a.item.quality || b.rank - a.rank || a.order - b.order)
    .map((entry) => entry.item);
}

/**
 * The offer with the highest quality above 0, ties going to the earlier
 * offer (servers list their own preference first); undefined when no offer
 * is acceptable. Shared by the proactive-negotiation helpers of
 * RFC 9110 §12.5 (Accept, Accept-Encoding, Accept-Language).
 */
export function bestOffer(offers: readonly string[], quality: (offer: string) => number): string | undefined {
  let best: string | undefined;
  let bestQuality = 0;
  for (const offer of offers) {
    const offerQuality = quality(offer);
    if (offerQuality > bestQuality) {
      best = offer;
      bestQuality = offerQuality;
    }
  }
  return best;
}

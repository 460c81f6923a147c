import { etag, type HeaderList, lastModified, parseEntityTag, parseHttpDate, strongMatch } from '@x/headers';

/**
 * Answering a Range request from a stored complete response (RFC 9111
 * §3.4 lets a cache do so; RFC 9110 §14 says how). Only a single byte range
 * is served as 206; anything else this module does not handle (several
 * ranges, other units, syntax it cannot read) gets the full response,
 * which RFC 9110 §14.2 allows: a server may ignore Range.
 */

export type RangeAnswer =
  | { readonly kind: 'full' }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' };

const FULL: RangeAnswer = Object.freeze({ kind: 'full' });

export function rangeAnswer(
  requestHeaders: HeaderList,
  storedHeaders: HeaderList,
  size: number,
): RangeAnswer {
  const range = requestHeaders.get('range');
  if (range === null) return FULL;
  if (!ifRangePasses(requestHeaders, storedHeaders)) return FULL;
  const match = /^bytes[ \t]*=[ \t]*(\d*)[ \t]*-[ \t]*(\d*)[ \t]*$/i.exec(range);
  if (match === null) return FULL;
  const [, firstText = '', lastText = ''] = match;
  if (firstText === '' && lastText === '') return FULL;
  if (firstText === '') {
    // suffix-range: the last N bytes (§14.1.1); N = 0 can never be satisfied.
    const suffix = Number(lastText);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const first = Number(firstText);
  const last = lastText === '' ? Number.POSITIVE_INFINITY : Number(lastText);
  if (!Number.isSafeInteger(first) || last < first) return FULL;
  if (first >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start: first, end: Math.min(last, size - 1) };
}

/**
 * RFC 9110 §13.1.5: If-Range holds an entity tag (strong comparison) or a
 * date (equal to a Last-Modified); when it does not match the stored
 * response, the whole representation is sent.
 */
function ifRangePasses(requestHeaders: HeaderList, storedHeaders: HeaderList): boolean {
  const condition = requestHeaders.get('if-range');
  if (condition === null) return true;
  const trimmed = condition.trim();
  if (trimmed.startsWith('"') || trimmed.startsWith('W/')) {
    const wanted = parseEntityTag(trimmed);
    const stored = etag(storedHeaders);
    return wanted.ok && stored?.ok === true && strongMatch(wanted.value, stored.value);
  }
  const wanted = parseHttpDate(trimmed);
  const stored = lastModified(storedHeaders);
  return wanted.ok && stored?.ok === true && wanted.value === stored.value;
}

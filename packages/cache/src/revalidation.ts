import {
  etag,
  type HeaderList,
  ifNoneMatch,
  ifNoneMatchPasses,
  lastModified,
  parseHttpDate,
  strongMatch,
  weakMatch,
} from '@x/headers';
import type { CacheEntry } from './cache-store.js';

/**
 * Validation (RFC 9111 §4.3), pure: building the cache's conditional
 * request, choosing which stored responses a 304 updates, and answering a
 * caller's own conditional request from a fresh stored response.
 */

/** Conditional request fields a caller may send; when present, the cache never adds its own. */
export const CONDITIONAL_FIELDS = [
  'if-none-match',
  'if-modified-since',
  'if-match',
  'if-unmodified-since',
  'if-range',
];

export function hasConditionals(headers: HeaderList): boolean {
  return CONDITIONAL_FIELDS.some((name) => headers.has(name));
}

/**
 * §4.3.1: the request headers of a validation request for `stored`: the
 * caller's headers plus If-None-Match from the stored ETag and
 * If-Modified-Since from the stored Last-Modified. Null when the stored
 * response has no validator (it can then only be replaced, not validated).
 * The values are sent exactly as stored so the origin can compare them.
 */
export function conditionalHeaders(requestHeaders: HeaderList, stored: HeaderList): HeaderList | null {
  const tag = etag(stored);
  const modified = lastModified(stored);
  const hasTag = tag?.ok === true;
  const hasDate = modified?.ok === true;
  if (!hasTag && !hasDate) return null;
  const headers = requestHeaders.clone();
  if (hasTag) headers.set('If-None-Match', stored.getAll('etag')[0] as string);
  if (hasDate) headers.set('If-Modified-Since', stored.getAll('last-modified')[0] as string);
  return headers;
}

/**
 * §4.3.4: which stored responses a 304 freshens.
 * - A strong ETag in the 304 selects every stored response with that strong ETag.
 * - Otherwise a weak ETag or a Last-Modified selects the most recent stored
 *   response carrying the same one.
 * - A 304 with no validator selects the only stored response when there is
 *   exactly one and it has no validator either.
 * Anything else selects nothing: the 304 cannot be applied (the caller then
 * has to fetch a full response). `candidates` come most recent first.
 */
export function select304Targets(
  candidates: readonly CacheEntry[],
  candidateHeaders: (entry: CacheEntry) => HeaderList,
  notModified: HeaderList,
): CacheEntry[] {
  return select304Indexes(candidates.map(candidateHeaders), notModified).map(
    (index) => candidates[index] as CacheEntry,
  );
}

/** `select304Targets` on the stored responses' fields: the indexes of those the 304 freshens. */
export function select304Indexes(stored: readonly HeaderList[], notModified: HeaderList): number[] {
  const tag = etag(notModified);
  const newTag = tag?.ok ? tag.value : null;
  if (newTag !== null && !newTag.weak) {
    const selected: number[] = [];
    for (let index = 0; index < stored.length; index++) {
      const storedTag = etag(stored[index] as HeaderList);
      if (storedTag?.ok === true && strongMatch(storedTag.value, newTag)) selected.push(index);
    }
    return selected;
  }
  const modified = lastModified(notModified);
  const newDate = modified?.ok ? modified.value : null;
  if (newTag !== null || newDate !== null) {
    for (let index = 0; index < stored.length; index++) {
      const headers = stored[index] as HeaderList;
      if (newTag !== null) {
        const storedTag = etag(headers);
        if (storedTag?.ok === true && weakMatch(storedTag.value, newTag)) return [index];
      } else {
        const storedDate = lastModified(headers);
        if (storedDate?.ok === true && storedDate.value === newDate) return [index];
      }
    }
    return [];
  }
  const only = stored[0];
  if (stored.length === 1 && only !== undefined) {
    if (etag(only) === null && lastModified(only) === null) return [0];
  }
  return [];
}

/**
 * §4.3.2: how a cache answers a caller's own If-None-Match /
 * If-Modified-Since from a fresh stored response. 'not-modified' means
 * answer 304; 'full' means send the stored response. If-None-Match wins
 * over If-Modified-Since (RFC 9110 §13.2.2); If-Modified-Since compares with
 * Last-Modified, else Date (§4.3.2).
 */
export function answerConditional(requestHeaders: HeaderList, stored: HeaderList): 'not-modified' | 'full' {
  const condition = ifNoneMatch(requestHeaders);
  if (condition !== null) {
    const tag = etag(stored);
    return ifNoneMatchPasses(condition, tag?.ok ? tag.value : null) ? 'full' : 'not-modified';
  }
  const since = requestHeaders.getAll('if-modified-since')[0];
  if (since === undefined) return 'full';
  const sinceTime = parseHttpDate(since);
  if (!sinceTime.ok) return 'full';
  const modified = lastModified(stored) ?? parseHttpDate(stored.getAll('date')[0]);
  if (!modified.ok) return 'full';
  return modified.value <= sinceTime.value ? 'not-modified' : 'full';
}

/** Fields a 304 carries from the stored response (RFC 9110 §15.4.5). */
export const NOT_MODIFIED_FIELDS = new Set([
  'cache-control',
  'content-location',
  'date',
  'etag',
  'expires',
  'vary',
  'last-modified',
]);

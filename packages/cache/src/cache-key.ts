import type { HeaderList } from '@x/headers';
import type { CacheEntry } from './cache-store.js';

/**
 * Cache keys (RFC 9111 §2, §4.1). The primary key is scope + method +
 * target URI; the variant key is the request header values the stored
 * response's Vary names. Both are built here and nowhere else, so a store
 * never has to understand HTTP.
 */

/**
 * Who may see an entry. A shared cache has one scope for everybody; a
 * private cache (or a request in private mode) gets a partition of its own,
 * so one user's private responses can never be served to another.
 */
export type CacheScope =
  | { readonly kind: 'shared' }
  | { readonly kind: 'private'; readonly partition: string };

export const SHARED_SCOPE: CacheScope = Object.freeze({ kind: 'shared' });

/**
 * The primary key. JSON of an array keeps the parts unambiguous whatever
 * characters a partition or URL holds. The fragment never reaches a server,
 * so it is not part of the key (RFC 9110 §7.1).
 */
export function primaryKey(scope: CacheScope, method: string, url: URL): string {
  // The first "#" of a serialised URL starts its fragment: everywhere before it the URL parser
  // percent-encodes "#". Slicing the href is what `hash = ''` on a copy gives, without parsing it again.
  const href = url.href;
  const fragment = href.indexOf('#');
  const target = fragment === -1 ? href : href.slice(0, fragment);
  const scopeName = scope.kind === 'shared' ? 'shared' : `private:${scope.partition}`;
  // One flat string from JSON.stringify: a key built by concatenation is a tree of cons strings that a
  // stored entry would keep alive (four more string objects per entry, measured in a heap snapshot).
  return JSON.stringify([scopeName, method, target]);
}

/**
 * The request header values a response's Vary names (lower-cased names, in
 * the order Vary lists them). Values are normalised the way RFC 9111 §4.1
 * allows: field lines combined and whitespace around commas removed, so
 * `gzip,br` and `gzip, br` select the same response.
 */
export function varyValues(
  fieldNames: readonly string[],
  requestHeaders: HeaderList,
): [string, string | null][] {
  return fieldNames.map((name) => [name, normalise(requestHeaders.get(name))]);
}

const NO_VARIANT = '[]';

/** The variant key for a set of Vary'd values: the same values give the same key. */
export function variantKey(values: ReadonlyArray<readonly [string, string | null]>): string {
  // Most responses have no Vary: one shared string rather than a new "[]" per stored response.
  if (values.length === 0) return NO_VARIANT;
  const sorted = [...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(sorted);
}

/** RFC 9111 §4.1: every field the stored response's Vary named has the same value in this request. */
export function matchesVariant(entry: CacheEntry, requestHeaders: HeaderList): boolean {
  return entry.head.varyValues.every(([name, value]) => normalise(requestHeaders.get(name)) === value);
}

/**
 * The stored responses that may answer this request, most recent first
 * (RFC 9111 §4.1: "the most recent response, as determined by the Date
 * header field", falling back to when it was received). A response stored
 * with `Vary: *` never matches; the storability rules refuse to store one.
 */
export function selectVariants(
  entries: readonly CacheEntry[],
  requestHeaders: HeaderList,
  dateOf: (entry: CacheEntry) => number,
): CacheEntry[] {
  return entries
    .filter((entry) => matchesVariant(entry, requestHeaders))
    .sort((a, b) => dateOf(b) - dateOf(a) || b.head.responseTime - a.head.responseTime);
}

function normalise(value: string | null): string | null {
  if (value === null) return null;
  return value
    .split(',')
    .map((part) => part.trim())
    .join(',');
}

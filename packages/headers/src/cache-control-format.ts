/**
 * Writing Cache-Control (RFC 9111 §5.2): the request directives a client
 * sends, and the response directives a test server or cache answers with.
 * Parsing lives in cache-control.ts.
 */
import { isTypedCacheDirective } from './cache-control.js';
import { InvalidHeaderError } from './invalid-header-error.js';
import { asciiLower } from './syntax.js';
import { requireNonNegativeInteger, requireToken, tokenOrQuoted } from './value-scanner.js';

/** Directives to send; every field is optional. */
export interface CacheControlInit {
  readonly maxAge?: number | undefined;
  readonly sMaxAge?: number | undefined;
  /** `Infinity` writes a bare `max-stale` (any staleness). */
  readonly maxStale?: number | undefined;
  readonly minFresh?: number | undefined;
  readonly staleWhileRevalidate?: number | undefined;
  readonly staleIfError?: number | undefined;
  readonly noCache?: boolean | readonly string[] | undefined;
  readonly private?: boolean | readonly string[] | undefined;
  readonly noStore?: boolean | undefined;
  readonly noTransform?: boolean | undefined;
  readonly onlyIfCached?: boolean | undefined;
  readonly mustRevalidate?: boolean | undefined;
  readonly proxyRevalidate?: boolean | undefined;
  readonly mustUnderstand?: boolean | undefined;
  readonly public?: boolean | undefined;
  readonly immutable?: boolean | undefined;
  /** Extension directives: name → argument (null for none). Names must not be ones typed above. */
  readonly extensions?:
    | ReadonlyMap<string, string | null>
    | Readonly<Record<string, string | null>>
    | undefined;
}

const HEADER = 'Cache-Control';

/**
 * Writes directives as a Cache-Control value, in a fixed order. Throws
 * InvalidHeaderError for negative or fractional seconds, field names that
 * are not tokens, extension names that shadow a typed directive, or
 * arguments that cannot be carried. An empty init gives "".
 */
export function formatCacheControl(init: CacheControlInit): string {
  const parts: string[] = [];
  const seconds = (name: string, value: number | undefined): void => {
    if (value === undefined) return;
    requireNonNegativeInteger(HEADER, name, value);
    parts.push(`${name}=${value}`);
  };
  const fieldList = (name: string, value: boolean | readonly string[] | undefined): void => {
    if (value === undefined || value === false) return;
    if (value === true) {
      parts.push(name);
      return;
    }
    if (value.length === 0) throw new InvalidHeaderError(HEADER, `${name} needs at least one field name`);
    for (const field of value) requireToken(HEADER, `${name} field name`, field);
    parts.push(`${name}="${value.join(', ')}"`);
  };
  const flag = (name: string, value: boolean | undefined): void => {
    if (value === true) parts.push(name);
  };
  seconds('max-age', init.maxAge);
  seconds('s-maxage', init.sMaxAge);
  if (init.maxStale === Number.POSITIVE_INFINITY) parts.push('max-stale');
  else seconds('max-stale', init.maxStale);
  seconds('min-fresh', init.minFresh);
  fieldList('no-cache', init.noCache);
  fieldList('private', init.private);
  flag('no-store', init.noStore);
  flag('no-transform', init.noTransform);
  flag('only-if-cached', init.onlyIfCached);
  flag('must-revalidate', init.mustRevalidate);
  flag('proxy-revalidate', init.proxyRevalidate);
  flag('must-understand', init.mustUnderstand);
  flag('public', init.public);
  flag('immutable', init.immutable);
  seconds('stale-while-revalidate', init.staleWhileRevalidate);
  seconds('stale-if-error', init.staleIfError);
  const extensions = init.extensions;
  if (extensions !== undefined) {
    const entries =
      extensions instanceof Map
        ? [...(extensions as ReadonlyMap<string, string | null>)]
        : Object.keys(extensions).map(
            (key) => [key, (extensions as Record<string, string | null>)[key]] as const,
          );
    for (const [name, argument] of entries) {
      requireToken(HEADER, 'extension name', name);
      if (isTypedCacheDirective(asciiLower(name))) {
        throw new InvalidHeaderError(HEADER, `${name} is a typed directive; set it by its option`);
      }
      parts.push(
        argument === null || argument === undefined ? name : `${name}=${tokenOrQuoted(HEADER, argument)}`,
      );
    }
  }
  return parts.join(', ');
}

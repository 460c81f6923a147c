/**
 * Cache-Control (RFC 9111 §5.2), request and response directives, plus the
 * widely deployed extensions stale-while-revalidate / stale-if-error
 * (RFC 5861) and immutable (RFC 8246).
 *
 * Parsing follows the grammar exactly (`#( token [ "=" ( token /
 * quoted-string ) ] )`) and is lenient only where RFC 9111 says to be:
 * unknown directives are kept as extensions, invalid ones are ignored and
 * reported in `dropped`. Choices where the RFC leaves room, made so that a
 * shared cache is never more permissive than the server meant:
 *
 * - A directive given more than once (possible when several field lines are
 *   combined) keeps its MOST RESTRICTIVE value, whatever the order: the
 *   smallest max-age / s-maxage / max-stale / stale-while-revalidate /
 *   stale-if-error and the largest min-fresh. RFC 9111 §4.2.1 allows "the
 *   first occurrence or consider the response stale"; the smallest value is
 *   never fresher than the first, and does not depend on line order. Each
 *   duplicate is reported in `dropped`.
 * - An invalid max-age / s-maxage argument (e.g. `max-age=-1`, `max-age=1h`)
 *   counts as 0, i.e. stale, the way RFC 9111 §5.3 treats an invalid Expires.
 *   Invalid arguments of directives that only ever loosen caching
 *   (max-stale, min-fresh, stale-*) drop the directive.
 * - A malformed element that starts with a restricting directive's name
 *   still restricts: `max-age=5 junk` counts as max-age=0, `private="a`
 *   (unterminated) as unqualified private, `no-store=` as no-store. One that
 *   starts with a loosening name (public, immutable, max-stale, min-fresh,
 *   stale-*, must-understand) is dropped. Either way it is reported.
 * - Delta-seconds beyond 2^31 clamp to 2^31 (RFC 9111 §1.2.2).
 * - Quoted arguments are accepted for every directive (RFC 9111 §5.2:
 *   "recipients ought to accept both forms").
 * - no-cache / private with a field-name list are arrays; without one they
 *   are `true`. Both are truthy, so `if (cc.noCache)` treats the qualified
 *   form as the unqualified one, the safe reading most caches use.
 */
import type { HeaderList } from './header-list.js';
import { nextElementStart } from './list-scanner.js';
import { asciiLower } from './syntax.js';
import {
  type DroppedPart,
  findElementEnd,
  parseDeltaSeconds,
  scanQuotedString,
  scanToken,
  skipOws,
  trimmedSlice,
  unquote,
} from './value-scanner.js';

export interface CacheControl {
  /** max-age in seconds (request and response). */
  readonly maxAge: number | undefined;
  /** s-maxage in seconds (response, shared caches). */
  readonly sMaxAge: number | undefined;
  /** max-stale in seconds (request); `Infinity` when given without a value (any staleness). */
  readonly maxStale: number | undefined;
  /** min-fresh in seconds (request). */
  readonly minFresh: number | undefined;
  /** stale-while-revalidate in seconds (RFC 5861). */
  readonly staleWhileRevalidate: number | undefined;
  /** stale-if-error in seconds (RFC 5861). */
  readonly staleIfError: number | undefined;
  /** false when absent, true when unqualified, the lower-cased field names when qualified. */
  readonly noCache: boolean | readonly string[];
  /** false when absent, true when unqualified, the lower-cased field names when qualified. */
  readonly private: boolean | readonly string[];
  readonly noStore: boolean;
  readonly noTransform: boolean;
  readonly onlyIfCached: boolean;
  readonly mustRevalidate: boolean;
  readonly proxyRevalidate: boolean;
  readonly mustUnderstand: boolean;
  readonly public: boolean;
  readonly immutable: boolean;
  /** Unknown directives by lower-cased name: their argument, or null when none. First occurrence kept. */
  readonly extensions: ReadonlyMap<string, string | null>;
  /** What was ignored or overridden, and why. Empty for a clean value. */
  readonly dropped: readonly DroppedPart[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Numeric = 'maxAge' | 'sMaxAge' | 'maxStale' | 'minFresh' | 'staleWhileRevalidate' | 'staleIfError';
type Flag =
  | 'noStore'
  | 'noTransform'
  | 'onlyIfCached'
  | 'mustRevalidate'
  | 'proxyRevalidate'
  | 'mustUnderstand'
  | 'public'
  | 'immutable';

/**
 * Known directive → the result field it sets. One hash lookup per directive
 * on the hot path; `restrictive` numerics are the ones an invalid argument
 * turns into 0 (see the module comment).
 */
type Known =
  | { readonly kind: 'numeric'; readonly field: Numeric; readonly restrictive: boolean }
  | { readonly kind: 'flag'; readonly field: Flag }
  | { readonly kind: 'list'; readonly field: 'noCache' | 'private' };

const KNOWN: ReadonlyMap<string, Known> = new Map<string, Known>([
  ['max-age', { kind: 'numeric', field: 'maxAge', restrictive: true }],
  ['s-maxage', { kind: 'numeric', field: 'sMaxAge', restrictive: true }],
  ['max-stale', { kind: 'numeric', field: 'maxStale', restrictive: false }],
  ['min-fresh', { kind: 'numeric', field: 'minFresh', restrictive: false }],
  ['stale-while-revalidate', { kind: 'numeric', field: 'staleWhileRevalidate', restrictive: false }],
  ['stale-if-error', { kind: 'numeric', field: 'staleIfError', restrictive: false }],
  ['no-store', { kind: 'flag', field: 'noStore' }],
  ['no-transform', { kind: 'flag', field: 'noTransform' }],
  ['only-if-cached', { kind: 'flag', field: 'onlyIfCached' }],
  ['must-revalidate', { kind: 'flag', field: 'mustRevalidate' }],
  ['proxy-revalidate', { kind: 'flag', field: 'proxyRevalidate' }],
  ['must-understand', { kind: 'flag', field: 'mustUnderstand' }],
  ['public', { kind: 'flag', field: 'public' }],
  ['immutable', { kind: 'flag', field: 'immutable' }],
  ['no-cache', { kind: 'list', field: 'noCache' }],
  ['private', { kind: 'list', field: 'private' }],
]);

function emptyCacheControl(): Mutable<CacheControl> {
  return {
    maxAge: undefined,
    sMaxAge: undefined,
    maxStale: undefined,
    minFresh: undefined,
    staleWhileRevalidate: undefined,
    staleIfError: undefined,
    noCache: false,
    private: false,
    noStore: false,
    noTransform: false,
    onlyIfCached: false,
    mustRevalidate: false,
    proxyRevalidate: false,
    mustUnderstand: false,
    public: false,
    immutable: false,
    extensions: new Map(),
    dropped: [],
  };
}

/** A Map that stays empty: `set` throws, as assigning to a frozen object does in strict code. */
class EmptyExtensions extends Map<string, string | null> {
  override set(name: string): this {
    throw new TypeError(`Cannot add the directive ${name}: this Cache-Control result is shared and frozen`);
  }
}

/** The result for an absent or empty field, shared by every caller: frozen, so no caller can change it for the others. */
const EMPTY_CACHE_CONTROL: CacheControl = Object.freeze({
  ...emptyCacheControl(),
  extensions: Object.freeze(new EmptyExtensions()),
  dropped: Object.freeze([]),
});

/**
 * Parses a Cache-Control value (several field lines combined with ", " are
 * fine). Never throws; `null` (header absent) and `''` give the empty result,
 * one shared frozen object: read it, never change it.
 */
export function parseCacheControl(value: string | null | undefined): CacheControl {
  // Most requests and many responses carry no Cache-Control: one shared,
  // frozen result rather than an object, a Map and an array per call.
  if (value === null || value === undefined || value === '') return EMPTY_CACHE_CONTROL;
  const result = emptyCacheControl();
  const dropped = result.dropped as DroppedPart[];
  const length = value.length;
  // nextElementStart skips empty list elements (RFC 9110 §5.6.1).
  for (let index = nextElementStart(value, 0); index < length; index = nextElementStart(value, index)) {
    const elementStart = index;
    const nameEnd = scanToken(value, index);
    // The argument is kept as indices; a string is made only when needed.
    let argumentStart = -1;
    let argumentEnd = -1;
    let quoted = false;
    let problem: string | null = null;
    if (nameEnd === index) {
      problem = 'not a directive name';
    } else {
      index = skipOws(value, nameEnd);
      // OWS around "=" is outside the grammar but common; tolerating it loses nothing.
      if (index < length && value.charCodeAt(index) === 0x3d) {
        index = skipOws(value, index + 1);
        quoted = index < length && value.charCodeAt(index) === 0x22;
        const end = quoted ? scanQuotedString(value, index) : scanToken(value, index);
        if (end === -1) problem = 'unterminated quoted-string';
        else if (end === index) problem = 'missing argument after "="';
        else {
          argumentStart = index;
          argumentEnd = end;
          index = end;
        }
      }
      if (problem === null) {
        index = skipOws(value, index);
        if (index < length && value.charCodeAt(index) !== 0x2c) problem = 'unexpected text after directive';
      }
    }
    const elementEnd = problem === null ? index : findElementEnd(value, index);
    if (problem !== null) {
      const restricted =
        nameEnd > elementStart && restrictMalformed(result, asciiLower(value.slice(elementStart, nameEnd)));
      dropped.push({
        text: trimmedSlice(value, elementStart, elementEnd),
        reason: restricted ? `${problem}; applied in its most restrictive form` : problem,
      });
    } else {
      const name = asciiLower(value.slice(elementStart, nameEnd));
      const known = KNOWN.get(name);
      if (known === undefined) {
        const extensions = result.extensions as Map<string, string | null>;
        if (extensions.has(name)) {
          dropped.push({
            text: trimmedSlice(value, elementStart, elementEnd),
            reason: `duplicate ${name}; the first is kept`,
          });
        } else {
          extensions.set(name, argumentText(value, argumentStart, argumentEnd, quoted));
        }
      } else if (known.kind === 'numeric') {
        applySeconds(
          result,
          known,
          name,
          value,
          argumentStart,
          argumentEnd,
          quoted,
          elementStart,
          elementEnd,
        );
      } else if (known.kind === 'flag') {
        result[known.field] = true;
        if (argumentStart !== -1) {
          dropped.push({
            text: trimmedSlice(value, elementStart, elementEnd),
            reason: 'unexpected argument ignored',
          });
        }
      } else {
        applyFieldList(result, known.field, argumentText(value, argumentStart, argumentEnd, quoted), () =>
          trimmedSlice(value, elementStart, elementEnd),
        );
      }
    }
    index = elementEnd + 1;
  }
  // De-duplicated here, once, so a hostile list of thousands of names stays linear.
  if (Array.isArray(result.noCache) && result.noCache.length > 1)
    result.noCache = [...new Set(result.noCache)];
  if (Array.isArray(result.private) && result.private.length > 1)
    result.private = [...new Set(result.private)];
  return result;
}

/** Directives a malformed element still applies, because ignoring them could only loosen caching. */
const RESTRICTING_FLAGS: ReadonlySet<string> = new Set([
  'no-store',
  'no-transform',
  'only-if-cached',
  'must-revalidate',
  'proxy-revalidate',
]);

/** Applies a malformed element's directive in its most restrictive form; true when it did. */
function restrictMalformed(result: Mutable<CacheControl>, name: string): boolean {
  const known = KNOWN.get(name);
  if (known === undefined) return false;
  if (known.kind === 'list') {
    result[known.field] = true;
    return true;
  }
  if (known.kind === 'numeric') {
    if (!known.restrictive) return false;
    result[known.field] = 0;
    return true;
  }
  if (!RESTRICTING_FLAGS.has(name)) return false;
  result[known.field] = true;
  return true;
}

function argumentText(value: string, start: number, end: number, quoted: boolean): string | null {
  if (start === -1) return null;
  return quoted ? unquote(value, start, end) : value.slice(start, end);
}

function applySeconds(
  result: Mutable<CacheControl>,
  known: { readonly field: Numeric; readonly restrictive: boolean },
  name: string,
  value: string,
  argumentStart: number,
  argumentEnd: number,
  quoted: boolean,
  elementStart: number,
  elementEnd: number,
): void {
  const dropped = result.dropped as DroppedPart[];
  const field = known.field;
  let seconds: number;
  if (argumentStart === -1) {
    seconds = field === 'maxStale' ? Number.POSITIVE_INFINITY : -1;
  } else if (quoted) {
    const text = unquote(value, argumentStart, argumentEnd);
    seconds = parseDeltaSeconds(text, 0, text.length);
  } else {
    seconds = parseDeltaSeconds(value, argumentStart, argumentEnd);
  }
  if (seconds === -1) {
    const missing = argumentStart === -1 ? 'missing argument' : 'invalid argument';
    dropped.push({
      text: trimmedSlice(value, elementStart, elementEnd),
      reason: known.restrictive ? `${missing}, treated as 0` : missing,
    });
    if (!known.restrictive) return;
    seconds = 0;
  }
  const previous = result[field];
  if (previous === undefined) {
    result[field] = seconds;
    return;
  }
  // Most restrictive wins: see the module comment.
  const keep = field === 'minFresh' ? Math.max(previous, seconds) : Math.min(previous, seconds);
  result[field] = keep;
  dropped.push({
    text: trimmedSlice(value, elementStart, elementEnd),
    reason: `duplicate ${name}; the most restrictive value (${keep}) is kept`,
  });
}

function applyFieldList(
  result: Mutable<CacheControl>,
  field: 'noCache' | 'private',
  argument: string | null,
  text: () => string,
): void {
  const previous = result[field];
  if (argument === null || previous === true) {
    result[field] = true; // unqualified is the more restrictive form and absorbs any list
    return;
  }
  const names = parseFieldNames(argument);
  if (names === null) {
    // An unreadable list cannot say which fields to protect: protect all.
    (result.dropped as DroppedPart[]).push({
      text: text(),
      reason: 'invalid field-name list, treated as unqualified',
    });
    result[field] = true;
    return;
  }
  if (previous === false) result[field] = names;
  else for (const name of names) (previous as string[]).push(name); // our own array; de-duplicated once at the end
}

/** The `#field-name` list inside a qualified no-cache / private, lower-cased; null when malformed. */
function parseFieldNames(argument: string): string[] | null {
  const names: string[] = [];
  const length = argument.length;
  for (let index = nextElementStart(argument, 0); index < length; index = nextElementStart(argument, index)) {
    const end = scanToken(argument, index);
    if (end === index) return null;
    const next = skipOws(argument, end);
    if (next < argument.length && argument.charCodeAt(next) !== 0x2c) return null;
    names.push(asciiLower(argument.slice(index, end)));
    index = next + 1;
  }
  return names.length === 0 ? null : names;
}

/** Cache-Control of a header section, all field lines combined. */
export function cacheControl(headers: HeaderList): CacheControl {
  return parseCacheControl(headers.get('cache-control'));
}

/** True for the directive names `CacheControl` has a typed field for (lower-case input). */
export function isTypedCacheDirective(name: string): boolean {
  return KNOWN.has(name);
}

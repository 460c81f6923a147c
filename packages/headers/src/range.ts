/**
 * Range requests (RFC 9110 §14): the Range field, If-Range, and resolving a
 * parsed Range against a representation's length.
 *
 *   Range        = ranges-specifier = range-unit "=" range-set
 *   range-set    = 1#range-spec
 *   int-range    = first-pos "-" [ last-pos ]
 *   suffix-range = "-" suffix-length
 *
 * Only the int-range and suffix-range forms are understood, whatever the
 * unit (no other unit is registered); a range-set in another syntax is
 * invalid. §14.2 lets a recipient ignore an invalid Range, so one bad
 * range-spec makes the whole field invalid rather than half-applied.
 * Positions beyond 2^53 - 1 are refused rather than rounded.
 */
import type { EntityTag } from './entity-tag.js';
import { formatEntityTag, parseEntityTag } from './entity-tag.js';
import type { HeaderList } from './header-list.js';
import { formatHttpDate, type HttpDateOptions, parseHttpDate } from './http-date.js';
import { InvalidHeaderError } from './invalid-header-error.js';
import { nextElementStart } from './list-scanner.js';
import { type Parsed, parsedInvalid, parsedOk } from './parsed.js';
import { asciiLower } from './syntax.js';
import {
  parseSafeInteger,
  requireNonNegativeInteger,
  requireToken,
  scanToken,
  skipOws,
} from './value-scanner.js';

/** One range-spec: bytes first..last (last absent: to the end) or the last `length` bytes. */
export type RangeSpec =
  | { readonly kind: 'int'; readonly first: number; readonly last: number | undefined }
  | { readonly kind: 'suffix'; readonly length: number };

export interface Range {
  /** Lower-cased range unit, normally "bytes". */
  readonly unit: string;
  /** The range-specs in the order sent (at least one). */
  readonly specs: readonly RangeSpec[];
}

/** A resolved, satisfiable byte range; `end` is inclusive, as in Content-Range. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * What to answer (RFC 9110 §14.2, §15.3.7, §15.5.17):
 * - `satisfiable`: send 206 with these ranges;
 * - `unsatisfiable`: send 416 with an unsatisfied-range Content-Range (see `formatContentRange`);
 * - `ignored`: send the whole representation as 200.
 */
export type RangeResolution =
  | { readonly kind: 'satisfiable'; readonly ranges: readonly ByteRange[] }
  | { readonly kind: 'unsatisfiable' }
  | { readonly kind: 'ignored'; readonly reason: string };

export interface ResolveRangeOptions {
  /** More range-specs than this and the Range is ignored (RFC 9110 §14.2 allows it). Default 100. */
  readonly maxRanges?: number | undefined;
  /**
   * Sort and merge overlapping or adjacent ranges (RFC 9110 §14.2 allows it,
   * and it defuses many-overlapping-ranges amplification). Default true.
   */
  readonly coalesce?: boolean | undefined;
}

const HEADER = 'Range';

/** Parses a Range value. Never throws. */
export function parseRange(value: string | null | undefined): Parsed<Range> {
  if (value === null || value === undefined) return parsedInvalid('absent');
  const length = value.length;
  let index = skipOws(value, 0);
  const unitEnd = scanToken(value, index);
  if (unitEnd === index || value.charCodeAt(unitEnd) !== 0x3d)
    return parsedInvalid('Range needs "unit=range-set"');
  const unit = asciiLower(value.slice(index, unitEnd));
  index = unitEnd + 1;
  const specs: RangeSpec[] = [];
  for (index = nextElementStart(value, index); index < length; index = nextElementStart(value, index)) {
    const start = index;
    while (index < length && value.charCodeAt(index) !== 0x2c) index++;
    let end = index;
    while (end > start && (value.charCodeAt(end - 1) === 0x20 || value.charCodeAt(end - 1) === 0x09)) end--;
    const spec = parseRangeSpec(value, start, end);
    if (spec === null) return parsedInvalid(`invalid range-spec ${JSON.stringify(value.slice(start, end))}`);
    specs.push(spec);
  }
  if (specs.length === 0) return parsedInvalid('Range has no range-spec');
  return parsedOk({ unit, specs });
}

function parseRangeSpec(value: string, start: number, end: number): RangeSpec | null {
  const dash = value.indexOf('-', start);
  if (dash === -1 || dash >= end) return null;
  if (dash === start) {
    const suffix = parseSafeInteger(value, start + 1, end);
    return suffix === -1 ? null : { kind: 'suffix', length: suffix };
  }
  const first = parseSafeInteger(value, start, dash);
  if (first === -1) return null;
  if (dash + 1 === end) return { kind: 'int', first, last: undefined };
  const last = parseSafeInteger(value, dash + 1, end);
  // §14.1.1: an int-range with last-pos < first-pos is invalid.
  if (last === -1 || last < first) return null;
  return { kind: 'int', first, last };
}

/** Range of a header section (lines combined); null when absent. */
export function range(headers: HeaderList): Parsed<Range> | null {
  const value = headers.get('range');
  return value === null ? null : parseRange(value);
}

/**
 * Resolves a Range against a representation of `length` bytes, following
 * RFC 9110 §14.1.2: last-pos is clamped to the end, a suffix longer than
 * the representation selects all of it, and unsatisfiable specs are left
 * out. A unit other than bytes is ignored.
 */
export function resolveRange(range: Range, length: number, options?: ResolveRangeOptions): RangeResolution {
  if (!Number.isSafeInteger(length) || length < 0) return { kind: 'ignored', reason: 'unknown length' };
  if (range.unit !== 'bytes') return { kind: 'ignored', reason: `unsupported range unit ${range.unit}` };
  const maxRanges = options?.maxRanges ?? 100;
  if (range.specs.length > maxRanges) return { kind: 'ignored', reason: `more than ${maxRanges} ranges` };
  const ranges: ByteRange[] = [];
  let emptySuffix = false;
  for (const spec of range.specs) {
    if (spec.kind === 'suffix') {
      if (spec.length === 0) continue;
      if (length === 0) {
        emptySuffix = true;
        continue;
      }
      ranges.push({ start: Math.max(0, length - spec.length), end: length - 1 });
    } else if (spec.first < length) {
      const last = spec.last === undefined ? length - 1 : Math.min(spec.last, length - 1);
      ranges.push({ start: spec.first, end: last });
    }
  }
  if (ranges.length === 0) {
    // §14.1.3: on an empty representation a non-zero suffix is satisfiable but selects
    // nothing; a 206 cannot express that, so send the (empty) representation whole.
    return emptySuffix ? { kind: 'ignored', reason: 'empty representation' } : { kind: 'unsatisfiable' };
  }
  if (options?.coalesce === false || ranges.length === 1) return { kind: 'satisfiable', ranges };
  return { kind: 'satisfiable', ranges: coalesceRanges(ranges) };
}

function coalesceRanges(ranges: ByteRange[]): ByteRange[] {
  const sorted = ranges.slice().sort((a, b) => a.start - b.start);
  const merged: ByteRange[] = [];
  let current = sorted[0] as ByteRange;
  for (let i = 1; i < sorted.length; i++) {
    const next = sorted[i] as ByteRange;
    if (next.start <= current.end + 1) {
      if (next.end > current.end) current = { start: current.start, end: next.end };
    } else {
      merged.push(current);
      current = next;
    }
  }
  merged.push(current);
  return merged;
}

/**
 * Writes a Range value, e.g. `bytes=0-499, -500`. Throws InvalidHeaderError
 * for an empty list, negative or fractional positions, or last < first.
 */
export function formatRange(specs: readonly RangeSpec[], unit = 'bytes'): string {
  requireToken(HEADER, 'range unit', unit);
  if (specs.length === 0) throw new InvalidHeaderError(HEADER, 'needs at least one range');
  const parts = specs.map((spec) => {
    if (spec.kind === 'suffix') {
      requireNonNegativeInteger(HEADER, 'suffix length', spec.length);
      return `-${spec.length}`;
    }
    requireNonNegativeInteger(HEADER, 'first position', spec.first);
    if (spec.last === undefined) return `${spec.first}-`;
    requireNonNegativeInteger(HEADER, 'last position', spec.last);
    if (spec.last < spec.first)
      throw new InvalidHeaderError(HEADER, 'last position is before first position');
    return `${spec.first}-${spec.last}`;
  });
  return `${unit}=${parts.join(', ')}`;
}

/** If-Range (RFC 9110 §13.1.5): an entity tag or an HTTP-date. */
export type IfRange =
  | { readonly kind: 'etag'; readonly tag: EntityTag }
  | { readonly kind: 'date'; readonly time: number };

/** Parses an If-Range value. Never throws. */
export function parseIfRange(value: string | null | undefined, options?: HttpDateOptions): Parsed<IfRange> {
  if (value === null || value === undefined) return parsedInvalid('absent');
  const start = skipOws(value, 0);
  const code = value.charCodeAt(start);
  if (code === 0x22 || (code === 0x57 && value.charCodeAt(start + 1) === 0x2f)) {
    const tag = parseEntityTag(value);
    return tag.ok ? parsedOk({ kind: 'etag', tag: tag.value }) : tag;
  }
  const time = parseHttpDate(value, options);
  return time.ok ? parsedOk({ kind: 'date', time: time.value }) : time;
}

/** If-Range of a header section; null when absent. */
export function ifRange(headers: HeaderList, options?: HttpDateOptions): Parsed<IfRange> | null {
  const value = headers.get('if-range');
  return value === null ? null : parseIfRange(value, options);
}

/**
 * Whether an If-Range condition holds for the current representation
 * (RFC 9110 §13.1.5): a strong match of the entity tag (a weak tag never
 * matches), or a date exactly equal to Last-Modified. False means: ignore
 * Range and send the whole representation.
 */
export function ifRangePasses(
  condition: IfRange,
  current: {
    readonly etag?: EntityTag | null | undefined;
    readonly lastModified?: number | null | undefined;
  },
): boolean {
  if (condition.kind === 'etag') {
    const tag = current.etag;
    return (
      tag !== null &&
      tag !== undefined &&
      !tag.weak &&
      !condition.tag.weak &&
      tag.opaque === condition.tag.opaque
    );
  }
  return (
    current.lastModified !== null &&
    current.lastModified !== undefined &&
    current.lastModified === condition.time
  );
}

/**
 * Writes an If-Range value. Throws InvalidHeaderError for a weak entity tag
 * (§13.1.5: a client MUST NOT send one) or an unwritable date.
 */
export function formatIfRange(condition: IfRange): string {
  if (condition.kind === 'etag') {
    if (condition.tag.weak)
      throw new InvalidHeaderError('If-Range', 'a weak entity tag cannot be sent in If-Range');
    return formatEntityTag(condition.tag);
  }
  return formatHttpDate(condition.time);
}

/**
 * Entity tags (RFC 9110 §8.8.3): ETag, If-Match and If-None-Match, and the
 * strong and weak comparisons of §8.8.3.2.
 *
 * An entity tag is `[ "W/" ] DQUOTE *etagc DQUOTE`; `opaque` holds what is
 * between the quotes. etagc allows "," so lists are split only outside
 * quotes. An unquoted ETag (a common server bug) is invalid rather than
 * guessed at: a validator we would send back altered could never match.
 */
import type { HeaderList } from './header-list.js';
import { InvalidHeaderError } from './invalid-header-error.js';
import { dropElement, nextElementStart } from './list-scanner.js';
import { type Parsed, parsedInvalid, parsedOk } from './parsed.js';
import { parseSingleton } from './singleton-field.js';
import { atElementEnd, type DroppedPart, skipOws } from './value-scanner.js';

export interface EntityTag {
  readonly weak: boolean;
  /** The characters between the quotes. */
  readonly opaque: string;
}

/** If-Match / If-None-Match: `*` (any current representation) or a list of tags. */
export interface EntityTagCondition {
  /** True for `*`. */
  readonly any: boolean;
  /** The valid tags, in order (empty for `*`). */
  readonly tags: readonly EntityTag[];
  /** List elements that were not entity tags. */
  readonly dropped: readonly DroppedPart[];
}

/** etagc of RFC 9110 §8.8.3: %x21 / %x23-7E / obs-text. */
function isEtagChar(code: number): boolean {
  return code === 0x21 || (code >= 0x23 && code <= 0x7e) || (code >= 0x80 && code <= 0xff);
}

/**
 * Scans an entity-tag at `index`; returns the index after it or -1.
 * `W/` is matched case-sensitively, as the grammar says (`%s"W/"`).
 */
function scanEntityTag(value: string, index: number): number {
  if (value.charCodeAt(index) === 0x57 && value.charCodeAt(index + 1) === 0x2f) index += 2;
  if (value.charCodeAt(index) !== 0x22) return -1;
  index++;
  while (index < value.length) {
    const code = value.charCodeAt(index);
    if (code === 0x22) return index + 1;
    if (!isEtagChar(code)) return -1;
    index++;
  }
  return -1;
}

function entityTagAt(value: string, start: number, end: number): EntityTag {
  const weak = value.charCodeAt(start) === 0x57;
  return { weak, opaque: value.slice(start + (weak ? 3 : 1), end - 1) };
}

/** Parses one entity tag (an ETag value). Never throws. */
export function parseEntityTag(value: string | null | undefined): Parsed<EntityTag> {
  if (value === null || value === undefined) return parsedInvalid('absent');
  const start = skipOws(value, 0);
  const end = scanEntityTag(value, start);
  if (end === -1 || skipOws(value, end) !== value.length) {
    return parsedInvalid(`not an entity-tag: ${JSON.stringify(value.trim())}`);
  }
  return parsedOk(entityTagAt(value, start, end));
}

/** ETag of a header section; null when absent, invalid when several lines disagree. */
export function etag(headers: HeaderList): Parsed<EntityTag> | null {
  return parseSingleton(headers, 'etag', 'ETag', parseEntityTag);
}

/**
 * Parses an If-Match / If-None-Match value: `"*"` or `#entity-tag`. Elements
 * that are not entity tags are dropped and reported; `*` mixed with tags is
 * read as `*` (the broader condition) and the tags reported as dropped.
 */
export function parseEntityTagCondition(value: string | null | undefined): EntityTagCondition {
  const tags: EntityTag[] = [];
  const dropped: DroppedPart[] = [];
  let any = false;
  if (value === null || value === undefined) return { any, tags, dropped };
  const length = value.length;
  for (let index = nextElementStart(value, 0); index < length; index = nextElementStart(value, index)) {
    const start = index;
    const end = value.charCodeAt(index) === 0x2a ? index + 1 : scanEntityTag(value, index);
    if (end === -1 || !atElementEnd(value, end)) {
      index = dropElement(value, start, 'not an entity-tag', dropped);
      continue;
    }
    if (value.charCodeAt(start) === 0x2a) any = true;
    else tags.push(entityTagAt(value, start, end));
    index = skipOws(value, end) + 1;
  }
  if (any && tags.length > 0) {
    for (const tag of tags) dropped.push({ text: formatEntityTag(tag), reason: 'listed with "*"' });
    tags.length = 0;
  }
  return { any, tags, dropped };
}

/** If-Match of a header section (lines combined); null when absent. */
export function ifMatch(headers: HeaderList): EntityTagCondition | null {
  const value = headers.get('if-match');
  return value === null ? null : parseEntityTagCondition(value);
}

/** If-None-Match of a header section (lines combined); null when absent. */
export function ifNoneMatch(headers: HeaderList): EntityTagCondition | null {
  const value = headers.get('if-none-match');
  return value === null ? null : parseEntityTagCondition(value);
}

/** Strong comparison (RFC 9110 §8.8.3.2): both strong and the same opaque-tag. */
export function strongMatch(a: EntityTag, b: EntityTag): boolean {
  return !a.weak && !b.weak && a.opaque === b.opaque;
}

/** Weak comparison (RFC 9110 §8.8.3.2): the same opaque-tag, weakness ignored. */
export function weakMatch(a: EntityTag, b: EntityTag): boolean {
  return a.opaque === b.opaque;
}

/**
 * Evaluates If-Match against the selected representation's tag (null when
 * there is none): RFC 9110 §13.1.1, strong comparison; `*` is true when a
 * representation exists.
 */
export function ifMatchPasses(condition: EntityTagCondition, current: EntityTag | null): boolean {
  if (condition.any) return current !== null;
  if (current === null) return false;
  return condition.tags.some((tag) => strongMatch(tag, current));
}

/**
 * Evaluates If-None-Match: RFC 9110 §13.1.2, weak comparison; true means
 * the condition passes (no tag matched), false means answer 304 / 412.
 */
export function ifNoneMatchPasses(condition: EntityTagCondition, current: EntityTag | null): boolean {
  if (condition.any) return current === null;
  if (current === null) return true;
  return !condition.tags.some((tag) => weakMatch(tag, current));
}

/** Writes an entity tag; throws InvalidHeaderError when `opaque` holds a character etagc does not allow. */
export function formatEntityTag(tag: EntityTag): string {
  const opaque = tag.opaque;
  if (typeof opaque !== 'string') throw new InvalidHeaderError('ETag', 'opaque must be a string');
  for (let i = 0; i < opaque.length; i++) {
    if (!isEtagChar(opaque.charCodeAt(i))) {
      throw new InvalidHeaderError('ETag', `opaque-tag cannot hold ${JSON.stringify(opaque[i])}`);
    }
  }
  return tag.weak ? `W/"${opaque}"` : `"${opaque}"`;
}

/**
 * Writes an If-Match / If-None-Match value: `'*'` or a non-empty list of
 * tags. Throws InvalidHeaderError for an empty list or an invalid tag.
 */
export function formatEntityTagCondition(condition: '*' | readonly EntityTag[]): string {
  if (condition === '*') return '*';
  if (condition.length === 0) throw new InvalidHeaderError('If-None-Match', 'needs "*" or at least one tag');
  return condition.map(formatEntityTag).join(', ');
}

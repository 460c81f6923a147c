/**
 * Vary (RFC 9110 §12.5.5): `"*" / #field-name`. Names are lower-cased (field
 * names are case-insensitive) and de-duplicated, in order; `*` anywhere
 * means the response varies on something outside the request, so a cache
 * can never reuse it (RFC 9111 §4.1) — `any` is then true whatever else is
 * listed.
 */
import type { HeaderList } from './header-list.js';
import { InvalidHeaderError } from './invalid-header-error.js';
import { dropElement, nextElementStart } from './list-scanner.js';
import { asciiLower } from './syntax.js';
import { type DroppedPart, requireToken, scanToken, skipOws } from './value-scanner.js';

export interface Vary {
  /** True when `*` was listed. */
  readonly any: boolean;
  /** Lower-cased field names, first occurrence order, without duplicates. */
  readonly fieldNames: readonly string[];
  /** Elements that were not field names. */
  readonly dropped: readonly DroppedPart[];
}

/** The Vary of an absent or empty field, shared by every caller: frozen, so no caller can change it for the others. */
const EMPTY_VARY: Vary = Object.freeze({
  any: false,
  fieldNames: Object.freeze([]),
  dropped: Object.freeze([]),
});

/**
 * Parses a Vary value (lines combined with ", " are fine). Never throws; null
 * and `''` give the empty Vary, one shared frozen object: read it, never change it.
 */
export function parseVary(value: string | null | undefined): Vary {
  // Most responses have no Vary: one shared, frozen result instead of three allocations per call.
  if (value === null || value === undefined || value === '') return EMPTY_VARY;
  const seen = new Set<string>(); // a Set, not includes(): linear even for thousands of names
  const dropped: DroppedPart[] = [];
  let any = false;
  const length = value.length;
  for (let index = nextElementStart(value, 0); index < length; index = nextElementStart(value, index)) {
    const start = index;
    const end = scanToken(value, index);
    const after = skipOws(value, end);
    if (end === start || (after < length && value.charCodeAt(after) !== 0x2c)) {
      index = dropElement(value, start, 'not a field name', dropped);
      continue;
    }
    // "*" is a tchar, so it arrives here as a one-character token.
    const name = asciiLower(value.slice(start, end));
    if (name === '*') any = true;
    else seen.add(name);
    index = after + 1;
  }
  return { any, fieldNames: [...seen], dropped };
}

/** Vary of a header section, all lines combined; an empty Vary when absent. */
export function vary(headers: HeaderList): Vary {
  return parseVary(headers.get('vary'));
}

/** Writes a Vary value: `'*'` or a non-empty list of field names. Throws InvalidHeaderError otherwise. */
export function formatVary(fieldNames: '*' | readonly string[]): string {
  if (fieldNames === '*') return '*';
  if (fieldNames.length === 0) throw new InvalidHeaderError('Vary', 'needs "*" or at least one field name');
  for (const name of fieldNames) {
    requireToken('Vary', 'field name', name);
    if (name === '*') throw new InvalidHeaderError('Vary', 'write "*" alone, not inside a list');
  }
  return fieldNames.join(', ');
}

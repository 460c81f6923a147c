import { type Parsed, parsedInvalid, parsedOk } from './parsed.js';
import { type Cursor, fail, ParseFailure, parseBareItem } from './structured-field-bare-item.js';
import type { Dictionary, InnerList, Item, List, Member, Parameters } from './structured-field-types.js';

/**
 * RFC 9651 §4.2 parsing of the three top-level types. Received headers are
 * often wrong, so these never throw: they return `Parsed<T>`.
 *
 * Multiple field lines must be combined with ", " before parsing (§4.2);
 * `HeaderList.get()` does that, and `getStructuredList()` & co. wrap it.
 */

/** Parses a List field value (§4.2.1). An empty value is an empty List. */
export function parseList(value: string): Parsed<List> {
  return parseTopLevel(value, parseListMembers);
}

/** Parses a Dictionary field value (§4.2.2). An empty value is an empty Dictionary. */
export function parseDictionary(value: string): Parsed<Dictionary> {
  return parseTopLevel(value, parseDictionaryMembers);
}

/** Parses an Item field value (§4.2.3). */
export function parseItem(value: string): Parsed<Item> {
  return parseTopLevel(value, parseItemAt);
}

function parseTopLevel<T>(value: string, parse: (cursor: Cursor) => T): Parsed<T> {
  if (typeof value !== 'string') return parsedInvalid('field value is not a string');
  const cursor: Cursor = { input: value, index: 0 };
  try {
    // §4.2 step 2 and 6: only SP is discarded around the whole value.
    skipSpaces(cursor);
    const result = parse(cursor);
    skipSpaces(cursor);
    if (cursor.index < value.length) fail(cursor, 'unexpected characters after the value');
    return parsedOk(result);
  } catch (error) {
    if (error instanceof ParseFailure) return parsedInvalid(`${error.reason} at index ${error.index}`);
    throw error;
  }
}

function skipSpaces(cursor: Cursor): void {
  const input = cursor.input;
  let index = cursor.index;
  while (input.charCodeAt(index) === 0x20) index++;
  cursor.index = index;
}

/** OWS (SP / HTAB) is allowed around the commas of Lists and Dictionaries. */
function skipOws(cursor: Cursor): void {
  const input = cursor.input;
  let index = cursor.index;
  for (;;) {
    const code = input.charCodeAt(index);
    if (code !== 0x20 && code !== 0x09) break;
    index++;
  }
  cursor.index = index;
}

/** After a member: end of input, or a comma followed by another member (§4.2.1 steps 2.3 to 2.6). */
function atEndOrNextMember(cursor: Cursor): boolean {
  skipOws(cursor);
  if (cursor.index >= cursor.input.length) return true;
  if (cursor.input.charCodeAt(cursor.index) !== 0x2c) fail(cursor, 'expected "," between members');
  cursor.index++;
  skipOws(cursor);
  if (cursor.index >= cursor.input.length) fail(cursor, 'trailing comma');
  return false;
}

function parseListMembers(cursor: Cursor): List {
  const members: List = [];
  if (cursor.index >= cursor.input.length) return members;
  do members.push(parseMember(cursor));
  while (!atEndOrNextMember(cursor));
  return members;
}

function parseDictionaryMembers(cursor: Cursor): Dictionary {
  const dictionary: Dictionary = new Map();
  if (cursor.index >= cursor.input.length) return dictionary;
  do {
    const key = parseKey(cursor);
    let member: Member;
    if (cursor.input.charCodeAt(cursor.index) === 0x3d) {
      cursor.index++;
      member = parseMember(cursor);
    } else {
      // §4.2.2: a key without "=" is Boolean true, with parameters.
      member = { value: true, parameters: parseParameters(cursor) };
    }
    // §4.2.2 step 2.4: a repeated key overwrites; Map.set keeps the first position.
    dictionary.set(key, member);
  } while (!atEndOrNextMember(cursor));
  return dictionary;
}

/** §4.2.1.1: an Inner List when it starts with "(", else an Item. */
function parseMember(cursor: Cursor): Member {
  return cursor.input.charCodeAt(cursor.index) === 0x28 ? parseInnerList(cursor) : parseItemAt(cursor);
}

function parseItemAt(cursor: Cursor): Item {
  const value = parseBareItem(cursor);
  return { value, parameters: parseParameters(cursor) };
}

/** §4.2.1.2: items separated by SP (not HTAB) inside parentheses. */
function parseInnerList(cursor: Cursor): InnerList {
  const input = cursor.input;
  const items: Item[] = [];
  cursor.index++;
  while (cursor.index < input.length) {
    skipSpaces(cursor);
    if (input.charCodeAt(cursor.index) === 0x29) {
      cursor.index++;
      return { items, parameters: parseParameters(cursor) };
    }
    items.push(parseItemAt(cursor));
    const code = input.charCodeAt(cursor.index);
    if (code !== 0x20 && code !== 0x29) fail(cursor, 'expected SP or ")" in inner list');
  }
  return fail(cursor, 'inner list is not closed');
}

/** §4.2.3.2: `;key[=value]` repeated; a key without a value is true; a repeated key overwrites. */
function parseParameters(cursor: Cursor): Parameters {
  const parameters: Parameters = new Map();
  const input = cursor.input;
  while (input.charCodeAt(cursor.index) === 0x3b) {
    cursor.index++;
    skipSpaces(cursor);
    const key = parseKey(cursor);
    if (input.charCodeAt(cursor.index) === 0x3d) {
      cursor.index++;
      parameters.set(key, parseBareItem(cursor));
    } else {
      parameters.set(key, true);
    }
  }
  return parameters;
}

/** §4.2.3.3: lcalpha or "*", then lcalpha, DIGIT, "_", "-", "." or "*". */
function parseKey(cursor: Cursor): string {
  const input = cursor.input;
  const start = cursor.index;
  const first = input.charCodeAt(start);
  if (!((first >= 0x61 && first <= 0x7a) || first === 0x2a)) {
    return fail(cursor, 'key must start with a lower-case letter or "*"');
  }
  let index = start + 1;
  for (;;) {
    const code = input.charCodeAt(index);
    if (
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x30 && code <= 0x39) ||
      code === 0x5f ||
      code === 0x2d ||
      code === 0x2e ||
      code === 0x2a
    ) {
      index++;
    } else {
      break;
    }
  }
  cursor.index = index;
  return input.slice(start, index);
}

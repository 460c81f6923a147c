import type { HeaderList } from './header-list.js';
import { type Parsed, parsedInvalid } from './parsed.js';
import { parseDictionary, parseItem, parseList } from './structured-field-parser.js';
import type { Dictionary, Item, List } from './structured-field-types.js';

/**
 * Reading a structured field straight from a HeaderList. RFC 9651 §4.2
 * requires every field line of one name to be combined with ", " before
 * parsing, which is what `HeaderList.get()` returns. So `a=1` and `b=2` on
 * two lines read as one Dictionary, and a String split across two lines
 * fails, as the RFC's test vectors expect.
 *
 * An absent List or Dictionary field is an empty one (§3.1, §3.2: an empty
 * container is sent by omitting the field); an absent Item is not ok.
 */

export function getStructuredList(headers: HeaderList, name: string): Parsed<List> {
  return parseList(headers.get(name) ?? '');
}

export function getStructuredDictionary(headers: HeaderList, name: string): Parsed<Dictionary> {
  return parseDictionary(headers.get(name) ?? '');
}

export function getStructuredItem(headers: HeaderList, name: string): Parsed<Item> {
  const value = headers.get(name);
  return value === null ? parsedInvalid(`${name} is absent`) : parseItem(value);
}

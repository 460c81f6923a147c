import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BareItem,
  Decimal,
  type Dictionary,
  DisplayString,
  type InnerList,
  type Item,
  type List,
  type Member,
  type Parameters,
  parseDictionary,
  parseItem,
  parseList,
  serializeDictionary,
  serializeItem,
  serializeList,
  Token,
} from '../src/index.js';
import { comparable } from './structured-field-vector-model.js';

/**
 * Round-trip properties: any value the data model can hold serialises to
 * text that parses back to the same value (types included: a Decimal stays
 * a Decimal, a Token a Token), and re-serialising is stable. Plus: no input
 * string can make a parser throw.
 */

const MAX = 999_999_999_999_999n;
const printable = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));
const alphaOrStar = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz*'.split(''));
const tokenTail = fc.constantFrom(
  ..."!#$%&'*+-.^_`|~:/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".split(''),
);

const key = fc
  .tuple(
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz*'.split('')),
    fc.string({
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_-.*'.split('')),
      maxLength: 8,
    }),
  )
  .map(([first, rest]) => first + rest);

const bareItem: fc.Arbitrary<BareItem> = fc.oneof(
  fc.bigInt({ min: -MAX, max: MAX }).map(Number),
  // Thousandths with at most 12 integer digits: exactly what a Decimal can carry.
  fc.bigInt({ min: -MAX, max: MAX }).map((thousandths) => new Decimal(Number(thousandths) / 1000)),
  fc.string({ unit: printable, maxLength: 20 }),
  fc
    .tuple(alphaOrStar, fc.string({ unit: tokenTail, maxLength: 12 }))
    .map(([first, rest]) => new Token(first + rest)),
  fc.uint8Array({ maxLength: 24 }),
  fc.boolean(),
  fc
    .bigInt({ min: -62_135_596_800n, max: 253_402_214_400n })
    .map((seconds) => new Date(Number(seconds) * 1000)),
  fc.string({ unit: 'binary', maxLength: 12 }).map((text) => new DisplayString(text)),
);

const parameters: fc.Arbitrary<Parameters> = fc
  .uniqueArray(fc.tuple(key, bareItem), { selector: ([name]) => name, maxLength: 3 })
  .map((pairs) => new Map(pairs));

const item: fc.Arbitrary<Item> = fc.record({ value: bareItem, parameters });
const innerList: fc.Arbitrary<InnerList> = fc.record({ items: fc.array(item, { maxLength: 4 }), parameters });
const member: fc.Arbitrary<Member> = fc.oneof(item, innerList);
const list: fc.Arbitrary<List> = fc.array(member, { maxLength: 5 });
const dictionary: fc.Arbitrary<Dictionary> = fc
  .uniqueArray(fc.tuple(key, member), { selector: ([name]) => name, maxLength: 5 })
  .map((pairs) => new Map(pairs));

function roundTrips<T extends Item | List | Dictionary>(
  value: T,
  serialize: (value: T) => string,
  parse: (text: string) => { ok: true; value: T } | { ok: false; reason: string },
): void {
  const text = serialize(value);
  const parsed = parse(text);
  if (!parsed.ok) throw new Error(`${JSON.stringify(text)} did not parse: ${parsed.reason}`);
  expect(comparable(parsed.value)).toEqual(comparable(value));
  expect(serialize(parsed.value)).toBe(text);
}

describe('structured fields: round trips (fast-check)', () => {
  it('Item: serialise then parse gives the same typed value', () => {
    fc.assert(
      fc.property(item, (value) => roundTrips(value, serializeItem, parseItem)),
      { numRuns: 500 },
    );
  });

  it('List: serialise then parse gives the same typed value', () => {
    fc.assert(
      fc.property(list, (value) => roundTrips(value, serializeList, parseList)),
      { numRuns: 300 },
    );
  });

  it('Dictionary: serialise then parse gives the same typed value', () => {
    fc.assert(
      fc.property(dictionary, (value) => roundTrips(value, serializeDictionary, parseDictionary)),
      { numRuns: 300 },
    );
  });

  it('no string makes a parser throw; each answers ok true or false', () => {
    const anyText = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: fc.constantFrom(...'a=1;,()"\\:?@%* \t-.b2'.split('')), maxLength: 40 }),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        for (const parse of [parseItem, parseList, parseDictionary]) {
          const result = parse(text);
          expect(typeof result.ok).toBe('boolean');
        }
      }),
      { numRuns: 2000 },
    );
  });
});

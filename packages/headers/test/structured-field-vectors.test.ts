import { describe, expect, it } from 'vitest';
import {
  type Dictionary,
  type Item,
  type List,
  type Parsed,
  parseDictionary,
  parseItem,
  parseList,
  serializeDictionary,
  serializeItem,
  serializeList,
} from '../src/index.js';
import {
  comparable,
  readVectors,
  toModel,
  type Vector,
  vectorFiles,
} from './structured-field-vector-model.js';

/**
 * Every vector of httpwg/structured-field-tests (RFC 9651), read from
 * /work/shared/vectors as it is. Parsing vectors: must_fail must fail; the
 * rest must parse to `expected` (can_fail may fail instead), and both the
 * parsed value and `expected` must serialise to `canonical` (or `raw`).
 * Serialisation vectors: serialising `expected` must throw when must_fail,
 * else give `canonical`.
 */

type Value = Item | List | Dictionary;

function parse(vector: Vector): Parsed<Value> {
  const text = (vector.raw ?? []).join(', ');
  if (vector.header_type === 'item') return parseItem(text);
  if (vector.header_type === 'list') return parseList(text);
  return parseDictionary(text);
}

function serialize(type: Vector['header_type'], value: Value): string {
  if (type === 'item') return serializeItem(value as Item);
  if (type === 'list') return serializeList(value as List);
  return serializeDictionary(value as Dictionary);
}

const parsingFiles = vectorFiles();
const serialisationFiles = vectorFiles('serialisation-tests/');

describe('structured-field-tests: parsing vectors', () => {
  it('finds all 20 files and 1591 vectors of the vendored commit', () => {
    expect(parsingFiles).toHaveLength(20);
    const total = parsingFiles.reduce((count, file) => count + readVectors(file).length, 0);
    expect(total).toBe(1591);
  });

  for (const file of parsingFiles) {
    describe(file, () => {
      for (const vector of readVectors(file)) {
        it(vector.name, () => {
          const result = parse(vector);
          if (vector.must_fail) {
            expect(result.ok, 'must fail').toBe(false);
            return;
          }
          if (!result.ok) {
            expect(vector.can_fail, `unexpected failure: ${result.reason}`).toBe(true);
            return;
          }
          const expected = toModel(vector.header_type, vector.expected);
          expect(comparable(result.value)).toEqual(comparable(expected));
          const wire = (vector.canonical ?? vector.raw ?? []).join(', ');
          expect(serialize(vector.header_type, result.value)).toBe(wire);
          expect(serialize(vector.header_type, expected)).toBe(wire);
        });
      }
    });
  }
});

describe('structured-field-tests: serialisation vectors', () => {
  it('finds all 4 files and 544 vectors', () => {
    expect(serialisationFiles).toHaveLength(4);
    const total = serialisationFiles.reduce((count, file) => count + readVectors(file).length, 0);
    expect(total).toBe(544);
  });

  for (const file of serialisationFiles) {
    describe(file, () => {
      for (const vector of readVectors(file)) {
        it(vector.name, () => {
          const value = toModel(vector.header_type, vector.expected);
          if (vector.must_fail) {
            expect(() => serialize(vector.header_type, value)).toThrow(/Cannot serialise structured field/);
            return;
          }
          expect(serialize(vector.header_type, value)).toBe((vector.canonical ?? []).join(', '));
        });
      }
    });
  }
});

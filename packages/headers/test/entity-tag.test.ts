import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type EntityTag,
  etag,
  formatEntityTag,
  formatEntityTagCondition,
  HeaderList,
  InvalidHeaderError,
  ifMatch,
  ifMatchPasses,
  ifNoneMatch,
  ifNoneMatchPasses,
  parseEntityTag,
  parseEntityTagCondition,
  strongMatch,
  weakMatch,
} from '../src/index.js';

const strong = (opaque: string): EntityTag => ({ weak: false, opaque });
const weak = (opaque: string): EntityTag => ({ weak: true, opaque });

describe('parseEntityTag', () => {
  it('reads strong and weak tags, empty ones and obs-text', () => {
    expect(parseEntityTag('"xyzzy"')).toEqual({ ok: true, value: strong('xyzzy') });
    expect(parseEntityTag(' W/"xyzzy" ')).toEqual({ ok: true, value: weak('xyzzy') });
    expect(parseEntityTag('""')).toEqual({ ok: true, value: strong('') });
    expect(parseEntityTag('"a,b"')).toEqual({ ok: true, value: strong('a,b') });
    expect(parseEntityTag('"caf\u00e9"')).toEqual({ ok: true, value: strong('caf\u00e9') });
  });

  it('refuses what is not an entity-tag', () => {
    for (const text of [
      'xyzzy',
      'w/"x"',
      '"x',
      '"x" "y"',
      '"x"y',
      '"a b"',
      '"a\\"b"',
      'W/',
      '',
      '"\u0100"',
    ]) {
      expect(parseEntityTag(text).ok, text).toBe(false);
    }
  });

  it('etag() reads a header section', () => {
    expect(etag(new HeaderList({ ETag: 'W/"1"' }))).toEqual({ ok: true, value: weak('1') });
    expect(etag(new HeaderList())).toBeNull();
    expect(
      etag(
        new HeaderList([
          ['ETag', '"1"'],
          ['ETag', '"2"'],
        ]),
      )?.ok,
    ).toBe(false);
  });
});

describe('If-Match / If-None-Match', () => {
  it('reads lists with commas inside tags, stray commas and whitespace', () => {
    const condition = parseEntityTagCondition(' "a,b" ,, W/"c",\t"d" ,');
    expect(condition).toEqual({ any: false, tags: [strong('a,b'), weak('c'), strong('d')], dropped: [] });
  });

  it('reads "*"', () => {
    expect(parseEntityTagCondition('*')).toEqual({ any: true, tags: [], dropped: [] });
    const mixed = parseEntityTagCondition('"a", *');
    expect(mixed.any).toBe(true);
    expect(mixed.tags).toEqual([]);
    expect(mixed.dropped).toEqual([{ text: '"a"', reason: 'listed with "*"' }]);
  });

  it('drops invalid elements and keeps the rest', () => {
    const condition = parseEntityTagCondition('"a", bogus, "b" junk, "c');
    expect(condition.tags).toEqual([strong('a')]);
    expect(condition.dropped.map((part) => part.text)).toEqual(['bogus', '"b" junk', '"c']);
  });

  it('helpers combine field lines', () => {
    const headers = new HeaderList([
      ['If-None-Match', '"a"'],
      ['if-none-match', 'W/"b"'],
      ['If-Match', '*'],
    ]);
    expect(ifNoneMatch(headers)?.tags).toEqual([strong('a'), weak('b')]);
    expect(ifMatch(headers)?.any).toBe(true);
    expect(ifMatch(new HeaderList())).toBeNull();
  });
});

describe('comparison (RFC 9110 §8.8.3.2 table)', () => {
  const table: [EntityTag, EntityTag, boolean, boolean][] = [
    [weak('1'), weak('1'), false, true],
    [weak('1'), weak('2'), false, false],
    [weak('1'), strong('1'), false, true],
    [strong('1'), strong('1'), true, true],
  ];
  it.each(table)('%o vs %o', (a, b, strongResult, weakResult) => {
    expect(strongMatch(a, b)).toBe(strongResult);
    expect(strongMatch(b, a)).toBe(strongResult);
    expect(weakMatch(a, b)).toBe(weakResult);
  });

  it('If-Match uses strong comparison, "*" needs a representation', () => {
    expect(ifMatchPasses(parseEntityTagCondition('"1"'), strong('1'))).toBe(true);
    expect(ifMatchPasses(parseEntityTagCondition('W/"1"'), strong('1'))).toBe(false);
    expect(ifMatchPasses(parseEntityTagCondition('"1"'), weak('1'))).toBe(false);
    expect(ifMatchPasses(parseEntityTagCondition('*'), weak('1'))).toBe(true);
    expect(ifMatchPasses(parseEntityTagCondition('*'), null)).toBe(false);
    expect(ifMatchPasses(parseEntityTagCondition('"1"'), null)).toBe(false);
  });

  it('If-None-Match uses weak comparison, "*" fails when a representation exists', () => {
    expect(ifNoneMatchPasses(parseEntityTagCondition('W/"1"'), strong('1'))).toBe(false);
    expect(ifNoneMatchPasses(parseEntityTagCondition('"2", "3"'), strong('1'))).toBe(true);
    expect(ifNoneMatchPasses(parseEntityTagCondition('*'), strong('1'))).toBe(false);
    expect(ifNoneMatchPasses(parseEntityTagCondition('*'), null)).toBe(true);
    expect(ifNoneMatchPasses(parseEntityTagCondition('"1"'), null)).toBe(true);
  });
});

describe('formatting', () => {
  it('writes tags and conditions', () => {
    expect(formatEntityTag(weak('x'))).toBe('W/"x"');
    expect(formatEntityTagCondition([strong('a'), weak('b,c')])).toBe('"a", W/"b,c"');
    expect(formatEntityTagCondition('*')).toBe('*');
  });

  it('refuses what cannot be sent', () => {
    expect(() => formatEntityTag(strong('a"b'))).toThrow(InvalidHeaderError);
    expect(() => formatEntityTag(strong('a b'))).toThrow(InvalidHeaderError);
    expect(() => formatEntityTag(strong('a\r\nSet-Cookie: x'))).toThrow(InvalidHeaderError);
    expect(() => formatEntityTagCondition([])).toThrow(InvalidHeaderError);
  });

  const etagChar = fc
    .integer({ min: 0x21, max: 0xff })
    .filter((code) => code !== 0x22 && code !== 0x7f)
    .map((code) => String.fromCharCode(code));
  const tag = fc.record({ weak: fc.boolean(), opaque: fc.string({ unit: etagChar, maxLength: 12 }) });

  it('round-trips tags and lists', () => {
    fc.assert(
      fc.property(fc.array(tag, { minLength: 1, maxLength: 5 }), (tags) => {
        for (const one of tags)
          expect(parseEntityTag(formatEntityTag(one))).toEqual({ ok: true, value: one });
        expect(parseEntityTagCondition(formatEntityTagCondition(tags))).toEqual({
          any: false,
          tags,
          dropped: [],
        });
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        parseEntityTag(text);
        parseEntityTagCondition(text);
      }),
    );
  });
});

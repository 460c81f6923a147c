import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatVary, HeaderList, InvalidHeaderError, parseVary, vary } from '../src/index.js';

describe('parseVary', () => {
  it('lower-cases and de-duplicates names, ignores empty elements', () => {
    expect(parseVary(' Accept-Encoding,, accept-encoding , User-Agent ,')).toEqual({
      any: false,
      fieldNames: ['accept-encoding', 'user-agent'],
      dropped: [],
    });
  });

  it('absent or empty gives one shared frozen Vary that nobody can change for the others', () => {
    const shared = parseVary(null);
    expect(parseVary(undefined)).toBe(shared);
    expect(parseVary('')).toBe(shared);
    expect(vary(new HeaderList([['Cache-Control', 'no-store']]))).toBe(shared);
    expect(shared).toEqual(parseVary(' , '));
    expect(Object.isFrozen(shared)).toBe(true);
    expect(() => (shared.fieldNames as string[]).push('accept')).toThrow(TypeError);
    expect(() => (shared.dropped as unknown[]).push({})).toThrow(TypeError);
    expect(shared.fieldNames).toEqual([]);
    expect(parseVary('accept')).not.toBe(parseVary('accept'));
  });

  it('"*" anywhere sets any', () => {
    expect(parseVary('*').any).toBe(true);
    const mixed = parseVary('Accept, *');
    expect(mixed.any).toBe(true);
    expect(mixed.fieldNames).toEqual(['accept']);
  });

  it('drops what is not a field name', () => {
    const parsed = parseVary('Accept, "quoted, thing", a b, Origin, ;');
    expect(parsed.fieldNames).toEqual(['accept', 'origin']);
    expect(parsed.dropped.map((part) => part.text)).toEqual(['"quoted, thing"', 'a b', ';']);
  });

  it('vary() combines lines; absent is empty', () => {
    expect(
      vary(
        new HeaderList([
          ['Vary', 'Accept'],
          ['vary', 'Cookie'],
        ]),
      ).fieldNames,
    ).toEqual(['accept', 'cookie']);
    expect(vary(new HeaderList())).toEqual({ any: false, fieldNames: [], dropped: [] });
  });
});

describe('formatVary', () => {
  it('writes names or "*"', () => {
    expect(formatVary(['Accept', 'Accept-Encoding'])).toBe('Accept, Accept-Encoding');
    expect(formatVary('*')).toBe('*');
  });

  it('refuses bad names', () => {
    expect(() => formatVary([])).toThrow(InvalidHeaderError);
    expect(() => formatVary(['a b'])).toThrow(InvalidHeaderError);
    expect(() => formatVary(['Accept', '*'])).toThrow(InvalidHeaderError);
  });

  it('round-trips', () => {
    const name = fc.stringMatching(/^[a-z0-9!#$%&'+.^_`|~-]{1,10}$/);
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 6 }), (names) => {
        expect(parseVary(formatVary(names))).toEqual({ any: false, fieldNames: names, dropped: [] });
      }),
    );
  });
});

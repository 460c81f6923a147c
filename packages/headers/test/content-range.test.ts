import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ContentRange,
  contentRange,
  formatContentRange,
  HeaderList,
  InvalidHeaderError,
  parseContentRange,
} from '../src/index.js';

describe('parseContentRange', () => {
  it('reads the three forms', () => {
    expect(parseContentRange('bytes 42-1233/1234')).toEqual({
      ok: true,
      value: { unit: 'bytes', range: { start: 42, end: 1233 }, completeLength: 1234 },
    });
    expect(parseContentRange('bytes 42-1233/*')).toEqual({
      ok: true,
      value: { unit: 'bytes', range: { start: 42, end: 1233 }, completeLength: null },
    });
    expect(parseContentRange(' Bytes */1234 ')).toEqual({
      ok: true,
      value: { unit: 'bytes', range: null, completeLength: 1234 },
    });
  });

  it('refuses values §14.4 calls invalid, and garbage', () => {
    const bad = [
      'bytes 5-4/10',
      'bytes 0-10/10',
      'bytes */*',
      'bytes=0-1/2',
      'bytes 0-1',
      'bytes 0-/2',
      'bytes -1/2',
      'bytes 0-1/x',
      'bytes 0 - 1/2',
      'bytes 0-1/2 junk',
      '0-1/2',
      '',
      'bytes 1-2/99999999999999999999',
    ];
    for (const text of bad) expect(parseContentRange(text).ok, text).toBe(false);
  });

  it('contentRange() refuses conflicting lines', () => {
    expect(contentRange(new HeaderList({ 'Content-Range': 'bytes 0-0/1' }))?.ok).toBe(true);
    expect(contentRange(new HeaderList())).toBeNull();
    const conflicting = new HeaderList([
      ['Content-Range', 'bytes 0-0/1'],
      ['Content-Range', 'bytes 0-0/2'],
    ]);
    expect(contentRange(conflicting)?.ok).toBe(false);
  });
});

describe('formatContentRange', () => {
  it('writes the three forms', () => {
    expect(formatContentRange({ range: { start: 0, end: 4 }, completeLength: 10 })).toBe('bytes 0-4/10');
    expect(formatContentRange({ range: { start: 0, end: 4 }, completeLength: null })).toBe('bytes 0-4/*');
    expect(formatContentRange({ range: null, completeLength: 10 })).toBe('bytes */10');
  });

  it('refuses invalid values', () => {
    expect(() => formatContentRange({ range: null, completeLength: null })).toThrow(InvalidHeaderError);
    expect(() => formatContentRange({ range: { start: 5, end: 4 }, completeLength: 10 })).toThrow(
      InvalidHeaderError,
    );
    expect(() => formatContentRange({ range: { start: 0, end: 10 }, completeLength: 10 })).toThrow(
      InvalidHeaderError,
    );
    expect(() => formatContentRange({ range: { start: -1, end: 1 }, completeLength: 10 })).toThrow(
      InvalidHeaderError,
    );
  });

  it('round-trips', () => {
    const value: fc.Arbitrary<ContentRange> = fc
      .tuple(fc.nat(), fc.nat(), fc.option(fc.nat(), { nil: null }), fc.boolean())
      .map(([start, width, extra, unsatisfied]) =>
        unsatisfied
          ? { unit: 'bytes', range: null, completeLength: start }
          : {
              unit: 'bytes',
              range: { start, end: start + width },
              completeLength: extra === null ? null : start + width + 1 + extra,
            },
      );
    fc.assert(
      fc.property(value, (contentRangeValue) => {
        expect(parseContentRange(formatContentRange(contentRangeValue))).toEqual({
          ok: true,
          value: contentRangeValue,
        });
      }),
    );
  });
});

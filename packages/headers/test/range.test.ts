import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatIfRange,
  formatRange,
  HeaderList,
  type IfRange,
  InvalidHeaderError,
  ifRange,
  ifRangePasses,
  parseIfRange,
  parseRange,
  type RangeSpec,
  range,
  resolveRange,
} from '../src/index.js';

const int = (first: number, last?: number): RangeSpec => ({ kind: 'int', first, last });
const suffix = (length: number): RangeSpec => ({ kind: 'suffix', length });

describe('parseRange', () => {
  it('reads int, open and suffix ranges, several at once', () => {
    expect(parseRange('bytes=0-499')).toEqual({ ok: true, value: { unit: 'bytes', specs: [int(0, 499)] } });
    expect(parseRange('Bytes=500-, -200 ,, 0-0,')).toEqual({
      ok: true,
      value: { unit: 'bytes', specs: [int(500), suffix(200), int(0, 0)] },
    });
  });

  it('keeps other units for the caller to ignore', () => {
    expect(parseRange('items=0-9')).toEqual({ ok: true, value: { unit: 'items', specs: [int(0, 9)] } });
  });

  it('one bad range-spec invalidates the whole field', () => {
    const bad = [
      'bytes=5-1',
      'bytes=0-1, x',
      'bytes=',
      'bytes= , ',
      'bytes',
      '=0-1',
      'bytes 0-1',
      'bytes=-',
      'bytes=1-2-3',
      'bytes=--1',
      'bytes=0x1-2',
      'bytes=1 - 2',
      'bytes=99999999999999999999-',
      'bytes=-1.5',
    ];
    for (const text of bad) expect(parseRange(text).ok, text).toBe(false);
    expect(parseRange(null).ok).toBe(false);
  });

  it('range() reads a header section', () => {
    expect(range(new HeaderList({ Range: 'bytes=-5' }))).toEqual({
      ok: true,
      value: { unit: 'bytes', specs: [suffix(5)] },
    });
    expect(range(new HeaderList())).toBeNull();
  });
});

describe('resolveRange (RFC 9110 §14.1.2)', () => {
  const resolve = (text: string, length: number, options?: Parameters<typeof resolveRange>[2]) => {
    const parsed = parseRange(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    return resolveRange(parsed.value, length, options);
  };

  it('clamps last-pos and suffixes to the representation', () => {
    expect(resolve('bytes=0-499', 10_000)).toEqual({ kind: 'satisfiable', ranges: [{ start: 0, end: 499 }] });
    expect(resolve('bytes=9500-', 10_000)).toEqual({
      kind: 'satisfiable',
      ranges: [{ start: 9500, end: 9999 }],
    });
    expect(resolve('bytes=-500', 10_000)).toEqual({
      kind: 'satisfiable',
      ranges: [{ start: 9500, end: 9999 }],
    });
    expect(resolve('bytes=0-99999', 100)).toEqual({ kind: 'satisfiable', ranges: [{ start: 0, end: 99 }] });
    expect(resolve('bytes=-99999', 100)).toEqual({ kind: 'satisfiable', ranges: [{ start: 0, end: 99 }] });
  });

  it('leaves out unsatisfiable specs, 416 when none remain', () => {
    expect(resolve('bytes=100-, 0-0', 100)).toEqual({ kind: 'satisfiable', ranges: [{ start: 0, end: 0 }] });
    expect(resolve('bytes=100-200', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(resolve('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(resolve('bytes=0-5', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(resolve('bytes=-5', 0)).toEqual({ kind: 'ignored', reason: 'empty representation' });
  });

  it('coalesces overlapping and adjacent ranges by default', () => {
    expect(resolve('bytes=50-59, 0-9, 5-14, 15-19, -10', 100)).toEqual({
      kind: 'satisfiable',
      ranges: [
        { start: 0, end: 19 },
        { start: 50, end: 59 },
        { start: 90, end: 99 },
      ],
    });
    expect(resolve('bytes=5-9, 0-4', 100, { coalesce: false })).toEqual({
      kind: 'satisfiable',
      ranges: [
        { start: 5, end: 9 },
        { start: 0, end: 4 },
      ],
    });
  });

  it('ignores other units, too many ranges and unknown lengths', () => {
    expect(resolve('items=0-1', 10).kind).toBe('ignored');
    expect(resolve('bytes=0-1, 3-4, 6-7', 10, { maxRanges: 2 }).kind).toBe('ignored');
    expect(resolve('bytes=0-1', Number.NaN).kind).toBe('ignored');
  });

  it('resolved ranges always lie inside the representation and are sorted and disjoint', () => {
    const spec = fc.oneof(
      fc
        .record({
          kind: fc.constant('int' as const),
          first: fc.nat(300),
          last: fc.option(fc.nat(300), { nil: undefined }),
        })
        .map((value) =>
          value.last !== undefined && value.last < value.first ? { ...value, last: value.first } : value,
        ),
      fc.record({ kind: fc.constant('suffix' as const), length: fc.nat(300) }),
    );
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 8 }), fc.nat(250), (specs, length) => {
        const resolution = resolveRange({ unit: 'bytes', specs }, length);
        if (resolution.kind !== 'satisfiable') return;
        let previousEnd = -2;
        for (const byteRange of resolution.ranges) {
          expect(byteRange.start).toBeGreaterThan(previousEnd + 1);
          expect(byteRange.start).toBeLessThanOrEqual(byteRange.end);
          expect(byteRange.end).toBeLessThan(length);
          previousEnd = byteRange.end;
        }
      }),
    );
  });
});

describe('formatRange', () => {
  it('writes specs', () => {
    expect(formatRange([int(0, 499), int(1000), suffix(5)])).toBe('bytes=0-499, 1000-, -5');
  });

  it('refuses what cannot be sent', () => {
    expect(() => formatRange([])).toThrow(InvalidHeaderError);
    expect(() => formatRange([int(5, 1)])).toThrow(InvalidHeaderError);
    expect(() => formatRange([int(-1, 1)])).toThrow(InvalidHeaderError);
    expect(() => formatRange([suffix(1.5)])).toThrow(InvalidHeaderError);
    expect(() => formatRange([int(0, 1)], 'by tes')).toThrow(InvalidHeaderError);
  });

  it('round-trips', () => {
    const spec = fc.oneof(
      fc
        .tuple(fc.nat(), fc.option(fc.nat(), { nil: undefined }))
        .map(([first, extra]) => int(first, extra === undefined ? undefined : first + extra)),
      fc.nat().map(suffix),
    );
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 6 }), (specs) => {
        expect(parseRange(formatRange(specs))).toEqual({ ok: true, value: { unit: 'bytes', specs } });
      }),
    );
  });
});

describe('If-Range', () => {
  const LAST_MODIFIED = Date.UTC(2024, 0, 2, 3, 4, 5);

  it('reads entity tags and dates', () => {
    expect(parseIfRange('"abc"')).toEqual({
      ok: true,
      value: { kind: 'etag', tag: { weak: false, opaque: 'abc' } },
    });
    expect(parseIfRange('W/"abc"')).toEqual({
      ok: true,
      value: { kind: 'etag', tag: { weak: true, opaque: 'abc' } },
    });
    expect(parseIfRange('Tue, 02 Jan 2024 03:04:05 GMT')).toEqual({
      ok: true,
      value: { kind: 'date', time: LAST_MODIFIED },
    });
    expect(parseIfRange('"unterminated').ok).toBe(false);
    expect(parseIfRange('yesterday').ok).toBe(false);
    expect(ifRange(new HeaderList({ 'If-Range': '"x"' }))?.ok).toBe(true);
    expect(ifRange(new HeaderList())).toBeNull();
  });

  it('passes only on a strong tag match or an exact date', () => {
    const etag = { weak: false, opaque: 'v1' };
    expect(ifRangePasses({ kind: 'etag', tag: etag }, { etag })).toBe(true);
    expect(ifRangePasses({ kind: 'etag', tag: etag }, { etag: { weak: true, opaque: 'v1' } })).toBe(false);
    expect(ifRangePasses({ kind: 'etag', tag: { weak: true, opaque: 'v1' } }, { etag })).toBe(false);
    expect(ifRangePasses({ kind: 'etag', tag: etag }, { etag: null })).toBe(false);
    expect(ifRangePasses({ kind: 'date', time: LAST_MODIFIED }, { lastModified: LAST_MODIFIED })).toBe(true);
    expect(ifRangePasses({ kind: 'date', time: LAST_MODIFIED }, { lastModified: LAST_MODIFIED + 1000 })).toBe(
      false,
    );
    expect(ifRangePasses({ kind: 'date', time: LAST_MODIFIED }, {})).toBe(false);
  });

  it('writes strong tags and dates, refuses weak tags', () => {
    expect(formatIfRange({ kind: 'etag', tag: { weak: false, opaque: 'v1' } })).toBe('"v1"');
    expect(formatIfRange({ kind: 'date', time: LAST_MODIFIED })).toBe('Tue, 02 Jan 2024 03:04:05 GMT');
    expect(() => formatIfRange({ kind: 'etag', tag: { weak: true, opaque: 'v1' } })).toThrow(
      InvalidHeaderError,
    );
  });

  it('round-trips', () => {
    const condition: fc.Arbitrary<IfRange> = fc.oneof(
      fc
        .stringMatching(/^[!#-~]{0,10}$/)
        .map((opaque) => ({ kind: 'etag' as const, tag: { weak: false, opaque } })),
      fc.integer({ min: 0, max: 2 ** 42 }).map((ms) => ({ kind: 'date' as const, time: ms - (ms % 1000) })),
    );
    fc.assert(
      fc.property(condition, (value) => {
        expect(parseIfRange(formatIfRange(value))).toEqual({ ok: true, value });
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  age,
  date,
  expires,
  formatHttpDate,
  HeaderList,
  lastModified,
  parseAge,
  parseExpires,
  parseRetryAfter,
  retryAfter,
  retryAfterDelay,
} from '../src/index.js';

const EXAMPLE = Date.UTC(1994, 10, 6, 8, 49, 37);
const IMF = 'Sun, 06 Nov 1994 08:49:37 GMT';

describe('Age', () => {
  it('reads delta-seconds, first list member, clamped', () => {
    expect(parseAge('60')).toEqual({ ok: true, value: 60 });
    expect(parseAge(' 60 , 70')).toEqual({ ok: true, value: 60 });
    expect(parseAge('99999999999999')).toEqual({ ok: true, value: 2 ** 31 });
    expect(
      age(
        new HeaderList([
          ['Age', '5'],
          ['age', '9'],
        ]),
      ),
    ).toEqual({ ok: true, value: 5 });
    expect(age(new HeaderList())).toBeNull();
  });

  it('is invalid (to be ignored) for anything but a non-negative integer', () => {
    for (const text of ['-1', '1.5', 'abc', '', ' ', '1 2', '"5"'])
      expect(parseAge(text).ok, text).toBe(false);
  });

  it('round-trips any delta-seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seconds) => {
        expect(parseAge(String(seconds))).toEqual({ ok: true, value: seconds });
      }),
    );
  });
});

describe('Expires, Last-Modified, Date', () => {
  it('reads dates from a header section', () => {
    const headers = new HeaderList({ Expires: IMF, 'Last-Modified': IMF, Date: IMF });
    expect(expires(headers)).toEqual({ ok: true, value: EXAMPLE });
    expect(lastModified(headers)).toEqual({ ok: true, value: EXAMPLE });
    expect(date(headers)).toEqual({ ok: true, value: EXAMPLE });
  });

  it('absent is null, which differs from invalid', () => {
    expect(expires(new HeaderList())).toBeNull();
    expect(parseExpires('0').ok).toBe(false);
    expect(expires(new HeaderList({ Expires: '0' }))?.ok).toBe(false);
  });

  it('identical repeated lines are fine, conflicting ones are invalid', () => {
    expect(
      expires(
        new HeaderList([
          ['Expires', IMF],
          ['Expires', IMF],
        ]),
      ),
    ).toEqual({ ok: true, value: EXAMPLE });
    const conflicting = new HeaderList([
      ['Expires', IMF],
      ['Expires', formatHttpDate(EXAMPLE + 1000)],
    ]);
    expect(expires(conflicting)).toEqual({ ok: false, reason: 'conflicting expires field lines' });
  });

  it('passes now through for RFC 850 years', () => {
    const headers = new HeaderList({ 'Last-Modified': 'Friday, 01-Jan-99 00:00:00 GMT' });
    const parsed = lastModified(headers, { now: Date.UTC(2026, 0, 1) });
    expect(parsed).toEqual({ ok: true, value: Date.UTC(1999, 0, 1) });
  });
});

describe('Retry-After', () => {
  it('reads delta-seconds and dates', () => {
    expect(parseRetryAfter('120')).toEqual({ ok: true, value: { kind: 'delay', seconds: 120 } });
    expect(parseRetryAfter(IMF)).toEqual({ ok: true, value: { kind: 'date', time: EXAMPLE } });
    expect(retryAfter(new HeaderList({ 'Retry-After': ' 5 ' }))).toEqual({
      ok: true,
      value: { kind: 'delay', seconds: 5 },
    });
    expect(retryAfter(new HeaderList())).toBeNull();
  });

  it('refuses garbage', () => {
    for (const text of ['-5', '5s', '1.5', 'soon', '']) expect(parseRetryAfter(text).ok, text).toBe(false);
  });

  it('computes the delay from now, never negative', () => {
    expect(retryAfterDelay({ kind: 'delay', seconds: 3 }, EXAMPLE)).toBe(3000);
    expect(retryAfterDelay({ kind: 'date', time: EXAMPLE }, EXAMPLE - 2500)).toBe(2500);
    expect(retryAfterDelay({ kind: 'date', time: EXAMPLE }, EXAMPLE + 10_000)).toBe(0);
  });

  it('round-trips seconds and dates', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        (seconds, ms) => {
          expect(parseRetryAfter(String(seconds))).toEqual({ ok: true, value: { kind: 'delay', seconds } });
          const time = ms - (ms % 1000);
          expect(parseRetryAfter(formatHttpDate(time))).toEqual({ ok: true, value: { kind: 'date', time } });
        },
      ),
    );
  });
});

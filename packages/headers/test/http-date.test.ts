import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHttpDate, InvalidHeaderError, parseHttpDate } from '../src/index.js';

const EXAMPLE = Date.UTC(1994, 10, 6, 8, 49, 37);

function value(text: string, now?: number): number | string {
  const parsed = parseHttpDate(text, { now });
  return parsed.ok ? parsed.value : parsed.reason;
}

describe('parseHttpDate', () => {
  it('reads the three formats of RFC 9110 §5.6.7', () => {
    expect(value('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(EXAMPLE);
    expect(value('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(EXAMPLE);
    expect(value('Sun Nov  6 08:49:37 1994')).toBe(EXAMPLE);
  });

  it('is lenient where real servers are sloppy', () => {
    expect(value('  sun, 06 nov 1994 08:49:37 gmt  ')).toBe(EXAMPLE);
    expect(value('Sun, 6 Nov 1994 08:49:37 GMT')).toBe(EXAMPLE);
    expect(value('Sun, 06 Nov 1994 08:49:37 UTC')).toBe(EXAMPLE);
    expect(value('Sunday, 06-Nov-1994 08:49:37 GMT')).toBe(EXAMPLE);
    expect(value('Sun Nov 06 08:49:37 1994')).toBe(EXAMPLE);
    // A wrong day name is not checked against the date: the date fields decide.
    expect(value('Mon, 06 Nov 1994 08:49:37 GMT')).toBe(EXAMPLE);
  });

  it('applies the 50-year rule to two-digit RFC 850 years when given now', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(new Date(value('Monday, 01-Jan-76 00:00:00 GMT', now) as number).getUTCFullYear()).toBe(2076);
    expect(new Date(value('Monday, 01-Jan-77 00:00:00 GMT', now) as number).getUTCFullYear()).toBe(1977);
    expect(new Date(value('Monday, 01-Jan-25 00:00:00 GMT', now) as number).getUTCFullYear()).toBe(2025);
    const late = Date.UTC(2090, 0, 1);
    expect(new Date(value('Monday, 01-Jan-05 00:00:00 GMT', late) as number).getUTCFullYear()).toBe(2105);
    expect(new Date(value('Monday, 01-Jan-50 00:00:00 GMT', late) as number).getUTCFullYear()).toBe(2050);
  });

  it('uses the POSIX window for two-digit years without now', () => {
    expect(new Date(value('Monday, 01-Jan-69 00:00:00 GMT') as number).getUTCFullYear()).toBe(2069);
    expect(new Date(value('Monday, 01-Jan-70 00:00:00 GMT') as number).getUTCFullYear()).toBe(1970);
  });

  it('handles leap days, leap seconds and tiny years', () => {
    expect(value('Thu, 29 Feb 2024 00:00:00 GMT')).toBe(Date.UTC(2024, 1, 29));
    expect(parseHttpDate('Thu, 29 Feb 2023 00:00:00 GMT').ok).toBe(false);
    expect(parseHttpDate('Tue, 29 Feb 1900 00:00:00 GMT').ok).toBe(false);
    expect(value('Sat, 31 Dec 2016 23:59:60 GMT')).toBe(Date.UTC(2016, 11, 31, 23, 59, 59));
    expect(new Date(value('Sat, 01 Jan 0050 00:00:00 GMT') as number).getUTCFullYear()).toBe(50);
  });

  it('refuses garbage with a reason, never throws', () => {
    const bad = [
      '',
      '0',
      '-1',
      'Sun, 06 Nov 1994 08:49:37',
      'Sun, 06 Nov 1994 08:49:37 GMT junk',
      'Sun, 06 Nov 1994 08:49:37 +0000',
      'Sun, 32 Nov 1994 08:49:37 GMT',
      'Sun, 06 Foo 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 24:00:00 GMT',
      'Sun, 06 Nov 1994 08:60:00 GMT',
      'Sun, 06 Nov 94 08:49:37 GMT',
      'Sunday, 06-Nov-994 08:49:37 GMT',
      'Funday, 06 Nov 1994 08:49:37 GMT',
      '1994-11-06T08:49:37Z',
      'Sun Nov  6 08:49:37',
    ];
    for (const text of bad) {
      const parsed = parseHttpDate(text);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(/HTTP-date/);
    }
    expect(parseHttpDate(null)).toEqual({ ok: false, reason: 'absent' });
  });
});

describe('formatHttpDate', () => {
  it('writes IMF-fixdate', () => {
    expect(formatHttpDate(EXAMPLE)).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
    expect(formatHttpDate(new Date(EXAMPLE + 999))).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
    expect(formatHttpDate(0)).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
  });

  it('refuses what cannot be written', () => {
    expect(() => formatHttpDate(Number.NaN)).toThrow(InvalidHeaderError);
    expect(() => formatHttpDate(new Date('nope'))).toThrow(InvalidHeaderError);
    expect(() => formatHttpDate(Date.UTC(10000, 0, 1))).toThrow(InvalidHeaderError);
  });
});

describe('HTTP-date round trip', () => {
  // Date.UTC maps years 0-99 to 1900-1999, so year 0 is set explicitly.
  const yearZero = new Date(0).setUTCFullYear(0, 0, 1);
  const anyTime = fc.integer({ min: yearZero, max: Date.UTC(9999, 11, 31, 23, 59, 59) });
  const wholeSeconds = anyTime.map((time) => time - (((time % 1000) + 1000) % 1000));

  it('parse(format(t)) === t for whole seconds in years 0..9999', () => {
    fc.assert(
      fc.property(wholeSeconds, (time) => {
        expect(parseHttpDate(formatHttpDate(time))).toEqual({ ok: true, value: time });
      }),
    );
  });

  it('the RFC 850 and asctime renderings of a date read back the same', () => {
    const now = Date.UTC(2026, 5, 1);
    const recent = fc.integer({ min: now - 40 * 365 * 86_400_000, max: now + 40 * 365 * 86_400_000 });
    fc.assert(
      fc.property(recent, (time) => {
        const date = new Date(time - (time % 1000));
        const imf = formatHttpDate(date);
        const [dayName, day, month, year, clock] = imf.replace(',', '').split(' ') as [
          string,
          string,
          string,
          string,
          string,
        ];
        const longDay = {
          Sun: 'Sunday',
          Mon: 'Monday',
          Tue: 'Tuesday',
          Wed: 'Wednesday',
          Thu: 'Thursday',
          Fri: 'Friday',
          Sat: 'Saturday',
        }[dayName];
        const rfc850 = `${longDay}, ${day}-${month}-${year.slice(2)} ${clock} GMT`;
        const asctime = `${dayName} ${month} ${String(Number(day)).padStart(2, ' ')} ${clock} ${year}`;
        expect(parseHttpDate(rfc850, { now })).toEqual({ ok: true, value: date.getTime() });
        expect(parseHttpDate(asctime)).toEqual({ ok: true, value: date.getTime() });
      }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (text) => void parseHttpDate(text)));
  });
});

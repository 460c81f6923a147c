import { HeaderList } from '@x/headers';
import { describe, expect, it } from 'vitest';
import { currentAge, freshnessLifetime, freshnessState, initialAge, storedFreshness } from '../src/index.js';
import { httpDate } from './helpers/origin.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const response = (headers: Record<string, string>, status = 200, requestTime = T0, responseTime = T0) => ({
  status,
  headers: new HeaderList(headers),
  requestTime,
  responseTime,
});

describe('freshness lifetime (RFC 9111 §4.2.1)', () => {
  it('uses s-maxage in a shared cache only, then max-age', () => {
    const both = response({ 'Cache-Control': 'max-age=100, s-maxage=10' });
    expect(freshnessLifetime(both, true)).toEqual({ seconds: 10, source: 's-maxage' });
    expect(freshnessLifetime(both, false)).toEqual({ seconds: 100, source: 'max-age' });
  });

  it('prefers max-age over Expires', () => {
    const value = response({
      'Cache-Control': 'max-age=5',
      Date: httpDate(T0),
      Expires: httpDate(T0 + 3_600_000),
    });
    expect(freshnessLifetime(value, true)).toEqual({ seconds: 5, source: 'max-age' });
  });

  it('uses Expires minus Date, and the receive time when Date is missing', () => {
    expect(
      freshnessLifetime(response({ Date: httpDate(T0), Expires: httpDate(T0 + 60_000) }), true).seconds,
    ).toBe(60);
    const noDate = response({ Expires: httpDate(T0 + 30_000) }, 200, T0, T0);
    expect(freshnessLifetime(noDate, true).seconds).toBe(30);
  });

  it('treats an invalid Expires (e.g. "0") as already expired', () => {
    expect(freshnessLifetime(response({ Expires: '0', 'Last-Modified': httpDate(T0 - 1e9) }), true)).toEqual({
      seconds: 0,
      source: 'expires',
    });
  });

  it('treats an invalid max-age as 0 rather than ignoring it', () => {
    expect(freshnessLifetime(response({ 'Cache-Control': 'max-age=soon' }), true)).toEqual({
      seconds: 0,
      source: 'max-age',
    });
  });

  it('gives 10% of (Date − Last-Modified) heuristically, only to heuristically cacheable statuses', () => {
    const headers = { Date: httpDate(T0), 'Last-Modified': httpDate(T0 - 1_000_000_000) };
    expect(freshnessLifetime(response(headers, 200), true)).toEqual({
      seconds: 100_000,
      source: 'heuristic',
    });
    expect(freshnessLifetime(response(headers, 404), true).source).toBe('heuristic');
    expect(freshnessLifetime(response(headers, 302), true)).toEqual({ seconds: 0, source: 'none' });
    expect(freshnessLifetime(response(headers, 500), true)).toEqual({ seconds: 0, source: 'none' });
  });

  it('gives nothing heuristically when Last-Modified is in the future or absent', () => {
    expect(
      freshnessLifetime(response({ Date: httpDate(T0), 'Last-Modified': httpDate(T0 + 5000) }), true).seconds,
    ).toBe(0);
    expect(freshnessLifetime(response({}), true)).toEqual({ seconds: 0, source: 'none' });
  });
});

describe('age (RFC 9111 §4.2.3)', () => {
  it('adds the response delay to the Age the response arrived with', () => {
    const value = response({ Age: '30', Date: httpDate(T0) }, 200, T0 - 2000, T0);
    expect(initialAge(value)).toBe(32);
  });

  it('uses the apparent age (response_time − Date) when it is larger', () => {
    const value = response({ Date: httpDate(T0 - 100_000), Age: '10' }, 200, T0, T0);
    expect(initialAge(value)).toBe(100);
  });

  it('never lets a Date in the future make the age negative', () => {
    expect(initialAge(response({ Date: httpDate(T0 + 50_000) }))).toBe(0);
  });

  it('ignores an invalid Age', () => {
    expect(initialAge(response({ Age: '-5', Date: httpDate(T0) }))).toBe(0);
  });

  it('adds the resident time', () => {
    expect(currentAge(response({ Age: '10', Date: httpDate(T0) }), T0 + 5000)).toBe(15);
  });
});

describe('fresh or stale', () => {
  it('is fresh while the lifetime exceeds the current age, stale at equality', () => {
    const value = response({ 'Cache-Control': 'max-age=60', Date: httpDate(T0) });
    expect(freshnessState(value, true, T0 + 59_999).fresh).toBe(true);
    const atLimit = freshnessState(value, true, T0 + 60_000);
    expect(atLimit.fresh).toBe(false);
    expect(atLimit.remaining).toBe(0);
  });

  it('counts the Age received from an upstream cache against freshness', () => {
    const value = response({ 'Cache-Control': 'max-age=60', Age: '50', Date: httpDate(T0) });
    expect(freshnessState(value, true, T0 + 11_000).fresh).toBe(false);
  });
});

describe('freshnessState with the stored, time-independent parts made once', () => {
  it('gives the same state as computing everything again, shared and private, fresh and stale', () => {
    const received = Date.parse('Tue, 24 Nov 2026 08:00:10 GMT');
    const heads: [string, string][][] = [
      [
        ['Date', 'Tue, 24 Nov 2026 08:00:00 GMT'],
        ['Cache-Control', 'max-age=60, s-maxage=600'],
        ['Age', '5'],
      ],
      [
        ['Date', 'Tue, 24 Nov 2026 08:00:00 GMT'],
        ['Expires', 'Tue, 24 Nov 2026 08:02:00 GMT'],
      ],
      [
        ['Date', 'Tue, 24 Nov 2026 08:00:00 GMT'],
        ['Last-Modified', 'Mon, 23 Nov 2026 08:00:00 GMT'],
      ],
      [['Cache-Control', 'no-cache, max-age=0']],
    ];
    for (const fields of heads) {
      const response = {
        status: 200,
        headers: new HeaderList(fields),
        requestTime: received - 2_000,
        responseTime: received,
      };
      const stored = storedFreshness(response);
      for (const shared of [true, false]) {
        for (const later of [0, 30_000, 119_000, 600_000, 10_000_000]) {
          const now = received + later;
          expect(
            freshnessState(response, shared, now, stored),
            JSON.stringify({ fields, shared, later }),
          ).toEqual(freshnessState(response, shared, now));
        }
      }
    }
  });
});

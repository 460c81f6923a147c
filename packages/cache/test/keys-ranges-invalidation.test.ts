import { HeaderList } from '@x/headers';
import { describe, expect, it } from 'vitest';
import {
  type CacheEntry,
  invalidationTargets,
  primaryKey,
  rangeAnswer,
  SHARED_SCOPE,
  selectVariants,
  variantKey,
  varyValues,
} from '../src/index.js';
import { httpDate } from './helpers/origin.js';

describe('cache keys (RFC 9111 §2, §4.1)', () => {
  it('separates scopes, partitions and methods, and ignores the fragment', () => {
    const url = new URL('http://127.0.0.1/a?q=1#frag');
    const keys = [
      primaryKey(SHARED_SCOPE, 'GET', url),
      primaryKey({ kind: 'private', partition: 'alice' }, 'GET', url),
      primaryKey({ kind: 'private', partition: 'bob' }, 'GET', url),
      primaryKey(SHARED_SCOPE, 'POST', url),
    ];
    expect(new Set(keys).size).toBe(4);
    expect(primaryKey(SHARED_SCOPE, 'GET', new URL('http://127.0.0.1/a?q=1'))).toBe(keys[0]);
  });

  it('keys a URL by its href without the fragment, whatever the fragment or query holds', () => {
    const cases = [
      'http://127.0.0.1/a?q=%23x#f#g',
      'http://127.0.0.1/a#',
      'http://127.0.0.1/a?#',
      'http://user:p%23w@127.0.0.1:8080/%23/b?x=#y?z',
      'http://[::1]/p?q=a b#frag ment',
    ];
    for (const text of cases) {
      const url = new URL(text);
      const withoutFragment = new URL(url.href);
      withoutFragment.hash = '';
      expect(primaryKey(SHARED_SCOPE, 'GET', url), text).toBe(
        JSON.stringify(['shared', 'GET', withoutFragment.href]),
      );
    }
  });

  it('is the JSON text of [scope, method, target], as stores already keep it', () => {
    const url = new URL('http://127.0.0.1/a?q="x"\u2028');
    for (const partition of ['alice', 'a","GET', 'ü\u0000"\\']) {
      for (const method of ['GET', 'HEAD', 'POST']) {
        expect(primaryKey({ kind: 'private', partition }, method, url)).toBe(
          JSON.stringify([`private:${partition}`, method, url.href]),
        );
      }
    }
    expect(primaryKey(SHARED_SCOPE, 'GET', url)).toBe(JSON.stringify(['shared', 'GET', url.href]));
  });

  it('cannot be confused by partitions that contain separators', () => {
    const url = new URL('http://127.0.0.1/');
    expect(primaryKey({ kind: 'private', partition: 'a","GET' }, 'GET', url)).not.toBe(
      primaryKey({ kind: 'private', partition: 'a' }, 'GET', url),
    );
  });

  it('normalises Vary values (lines combined, whitespace around commas) and orders the variant key', () => {
    const one = varyValues(['accept-encoding', 'accept'], new HeaderList([['Accept-Encoding', 'gzip,  br']]));
    const two = varyValues(
      ['accept', 'accept-encoding'],
      new HeaderList([
        ['accept-encoding', 'gzip'],
        ['accept-encoding', 'br'],
      ]),
    );
    expect(one).toEqual([
      ['accept-encoding', 'gzip,br'],
      ['accept', null],
    ]);
    expect(variantKey(one)).toBe(variantKey(two));
  });

  it('selects matching variants, most recent Date first; an absent header only matches absence', () => {
    const make = (id: string, values: [string, string | null][], date: number): CacheEntry => ({
      variant: id,
      bodyId: id,
      bodySize: 0,
      head: {
        status: 200,
        reason: 'OK',
        httpVersion: '1.1',
        fields: ['Date', httpDate(date)],
        url: 'http://127.0.0.1/',
        varyValues: values,
        requestTime: 0,
        responseTime: 0,
        discardAfter: null,
      },
    });
    const older = make('older', [['accept', 'text/html']], 1_000_000);
    const newer = make('newer', [['accept', 'text/html']], 2_000_000);
    const none = make('none', [['accept', null]], 3_000_000);
    const dateOf = (entry: CacheEntry) => Date.parse(entry.head.fields[1] ?? '');
    const html = selectVariants([older, none, newer], new HeaderList({ Accept: 'text/html' }), dateOf);
    expect(html.map((entry) => entry.variant)).toEqual(['newer', 'older']);
    expect(selectVariants([older, none], new HeaderList(), dateOf).map((entry) => entry.variant)).toEqual([
      'none',
    ]);
  });
});

describe('ranges from a stored response (RFC 9110 §14)', () => {
  const stored = new HeaderList({ ETag: '"s"', 'Last-Modified': httpDate(Date.UTC(2025, 0, 1)) });
  const answer = (range: string, extra: Record<string, string> = {}, size = 100) =>
    rangeAnswer(new HeaderList({ Range: range, ...extra }), stored, size);

  it('serves single byte ranges, clamping the end and merging overlapping ones', () => {
    expect(answer('bytes=0-4, 3-9')).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(answer('bytes=0-9')).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(answer('bytes=90-200')).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(answer('bytes=95-')).toEqual({ kind: 'partial', start: 95, end: 99 });
    expect(answer('bytes=-10')).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(answer('bytes=-500')).toEqual({ kind: 'partial', start: 0, end: 99 });
  });

  it('is unsatisfiable past the end or for an empty suffix', () => {
    expect(answer('bytes=100-')).toEqual({ kind: 'unsatisfiable' });
    expect(answer('bytes=-0')).toEqual({ kind: 'unsatisfiable' });
  });

  it('falls back to the full response for what it does not serve', () => {
    for (const range of ['bytes=0-1,5-6', 'items=0-1', 'bytes=5-1', 'bytes=-', 'nonsense', 'bytes=0-1,x']) {
      expect(answer(range)).toEqual({ kind: 'full' });
    }
    expect(rangeAnswer(new HeaderList(), stored, 10)).toEqual({ kind: 'full' });
  });

  it('honours If-Range with a strong ETag or the exact Last-Modified', () => {
    expect(answer('bytes=0-1', { 'If-Range': '"s"' }).kind).toBe('partial');
    expect(answer('bytes=0-1', { 'If-Range': 'W/"s"' }).kind).toBe('full');
    expect(answer('bytes=0-1', { 'If-Range': '"other"' }).kind).toBe('full');
    expect(answer('bytes=0-1', { 'If-Range': httpDate(Date.UTC(2025, 0, 1)) }).kind).toBe('partial');
    expect(answer('bytes=0-1', { 'If-Range': httpDate(Date.UTC(2025, 0, 2)) }).kind).toBe('full');
  });
});

describe('invalidation targets (RFC 9111 §4.4)', () => {
  const url = new URL('http://127.0.0.1:8080/items');
  const targets = (method: string, status: number, headers: Record<string, string> = {}) =>
    invalidationTargets(method, url, status, new HeaderList(headers)).map((target) => target.href);

  it('invalidates the target and same-origin Location / Content-Location after a non-error unsafe request', () => {
    expect(
      targets('POST', 201, {
        Location: '/items/7',
        'Content-Location': 'http://127.0.0.1:8080/items?page=1',
      }),
    ).toEqual([url.href, 'http://127.0.0.1:8080/items/7', 'http://127.0.0.1:8080/items?page=1']);
    expect(targets('PUT', 303, { Location: 'http://127.0.0.1:9999/x' })).toEqual([url.href]);
  });

  it('does nothing for safe methods or error statuses', () => {
    expect(targets('GET', 200)).toEqual([]);
    expect(targets('OPTIONS', 200)).toEqual([]);
    expect(targets('DELETE', 404)).toEqual([]);
    expect(targets('PATCH', 500)).toEqual([]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CacheControlInit,
  cacheControl,
  formatCacheControl,
  HeaderList,
  InvalidHeaderError,
  parseCacheControl,
} from '../src/index.js';

describe('parseCacheControl', () => {
  it('reads response directives', () => {
    const cc = parseCacheControl('public, max-age=3600, s-maxage=60, must-revalidate, immutable');
    expect(cc.public).toBe(true);
    expect(cc.maxAge).toBe(3600);
    expect(cc.sMaxAge).toBe(60);
    expect(cc.mustRevalidate).toBe(true);
    expect(cc.immutable).toBe(true);
    expect(cc.noStore).toBe(false);
    expect(cc.dropped).toEqual([]);
  });

  it('reads request directives, max-stale with and without a value', () => {
    const cc = parseCacheControl('max-stale, min-fresh=10, only-if-cached, no-transform');
    expect(cc.maxStale).toBe(Number.POSITIVE_INFINITY);
    expect(cc.minFresh).toBe(10);
    expect(cc.onlyIfCached).toBe(true);
    expect(cc.noTransform).toBe(true);
    expect(parseCacheControl('max-stale=30').maxStale).toBe(30);
  });

  it('absent header gives all-defaults', () => {
    const cc = parseCacheControl(null);
    expect(cc.maxAge).toBeUndefined();
    expect(cc.noCache).toBe(false);
    expect(cc.extensions.size).toBe(0);
  });

  it('absent or empty gives one shared frozen result, equal to what an all-whitespace value parses to', () => {
    const shared = parseCacheControl(null);
    expect(parseCacheControl(undefined)).toBe(shared);
    expect(parseCacheControl('')).toBe(shared);
    expect(cacheControl(new HeaderList())).toBe(shared);
    // Same content as a value with no directives, which still builds its own result.
    const fresh = parseCacheControl(' , ');
    expect(fresh).not.toBe(shared);
    expect({ ...shared, extensions: [...shared.extensions] }).toEqual({ ...fresh, extensions: [] });
    // Nobody can change it for the others.
    expect(Object.isFrozen(shared)).toBe(true);
    expect(Object.isFrozen(shared.dropped)).toBe(true);
    expect(() => {
      (shared as { maxAge: number | undefined }).maxAge = 5;
    }).toThrow(TypeError);
    expect(() => (shared.extensions as Map<string, string | null>).set('x', null)).toThrow(TypeError);
    expect(() => (shared.dropped as unknown[]).push({})).toThrow(TypeError);
    expect(shared.extensions.size).toBe(0);
    expect(shared.maxAge).toBeUndefined();
    // A value with directives is still the caller's own, mutable result.
    expect(Object.isFrozen(parseCacheControl('max-age=1'))).toBe(false);
  });

  it('is case-insensitive in names and tolerates stray commas and whitespace', () => {
    const cc = parseCacheControl(' ,, MAX-AGE=5 ,\tNo-Store,,  , ');
    expect(cc.maxAge).toBe(5);
    expect(cc.noStore).toBe(true);
    expect(cc.dropped).toEqual([]);
  });

  it('accepts quoted arguments and OWS around "="', () => {
    expect(parseCacheControl('max-age="60"').maxAge).toBe(60);
    expect(parseCacheControl('max-age = 60').maxAge).toBe(60);
  });

  it('qualified no-cache and private keep lower-cased field names, quoted commas included', () => {
    const cc = parseCacheControl('no-cache="Set-Cookie, X-Foo", private=Authorization, max-age=1');
    expect(cc.noCache).toEqual(['set-cookie', 'x-foo']);
    expect(cc.private).toEqual(['authorization']);
    expect(cc.maxAge).toBe(1);
  });

  it('unqualified no-cache absorbs a qualified one in either order', () => {
    expect(parseCacheControl('no-cache="a", no-cache').noCache).toBe(true);
    expect(parseCacheControl('no-cache, no-cache="a"').noCache).toBe(true);
    expect(parseCacheControl('private="a", private="b, a"').private).toEqual(['a', 'b']);
  });

  it('an unreadable field-name list is treated as unqualified (protect everything)', () => {
    const cc = parseCacheControl('no-cache="a b"');
    expect(cc.noCache).toBe(true);
    expect(cc.dropped[0]?.reason).toMatch(/unqualified/);
  });

  it('duplicated directives keep the most restrictive value, whatever the order', () => {
    expect(parseCacheControl('max-age=60, max-age=10').maxAge).toBe(10);
    expect(parseCacheControl('max-age=10, max-age=60').maxAge).toBe(10);
    expect(parseCacheControl('min-fresh=10, min-fresh=60').minFresh).toBe(60);
    expect(parseCacheControl('max-stale, max-stale=5').maxStale).toBe(5);
    const cc = parseCacheControl('s-maxage=1, s-maxage=2');
    expect(cc.sMaxAge).toBe(1);
    expect(cc.dropped).toHaveLength(1);
    expect(cc.dropped[0]?.reason).toMatch(/duplicate s-maxage/);
  });

  it('invalid max-age counts as 0 (stale) and is reported', () => {
    for (const text of ['max-age=-1', 'max-age=1h', 'max-age', 'max-age=""', 'max-age=1.5']) {
      const cc = parseCacheControl(text);
      expect(cc.maxAge, text).toBe(0);
      expect(cc.dropped, text).toHaveLength(1);
    }
  });

  it('invalid loosening directives are dropped, not guessed', () => {
    const cc = parseCacheControl('stale-while-revalidate=soon, stale-if-error=-5, min-fresh=x, max-stale=y');
    expect(cc.staleWhileRevalidate).toBeUndefined();
    expect(cc.staleIfError).toBeUndefined();
    expect(cc.minFresh).toBeUndefined();
    expect(cc.maxStale).toBeUndefined();
    expect(cc.dropped).toHaveLength(4);
  });

  it('clamps delta-seconds overflow to 2^31', () => {
    expect(parseCacheControl('max-age=99999999999999999999999').maxAge).toBe(2 ** 31);
    expect(parseCacheControl('max-age=2147483648').maxAge).toBe(2 ** 31);
    expect(parseCacheControl('max-age=2147483647').maxAge).toBe(2 ** 31 - 1);
  });

  it('keeps unknown extensions (first wins) and reports duplicates', () => {
    const cc = parseCacheControl('community="UCI", foo, Bar=baz, foo=2');
    expect(cc.extensions.get('community')).toBe('UCI');
    expect(cc.extensions.get('foo')).toBeNull();
    expect(cc.extensions.get('bar')).toBe('baz');
    expect(cc.dropped.map((part) => part.text)).toEqual(['foo=2']);
  });

  it('keeps flags that carry an unexpected argument and says so', () => {
    const cc = parseCacheControl('no-store=1');
    expect(cc.noStore).toBe(true);
    expect(cc.dropped[0]?.reason).toMatch(/argument ignored/);
  });

  it('never throws on garbage, keeps the valid parts', () => {
    const cc = parseCacheControl('=, "quoted", no-store, max-age=7, ;x');
    expect(cc.maxAge).toBe(7);
    expect(cc.noStore).toBe(true);
    expect(cc.dropped.map((part) => part.text)).toEqual(['=', '"quoted"', ';x']);
    for (const garbage of ['\u0000\u00ff', '"', '=', ',,,', 'a=b=c', 'max-age=\u0130']) {
      expect(() => parseCacheControl(garbage)).not.toThrow();
    }
  });

  it('a malformed restricting directive still restricts, and says so', () => {
    const cc = parseCacheControl('max-age=5 junk, no-store');
    expect(cc.maxAge).toBe(0);
    expect(cc.noStore).toBe(true);
    expect(cc.dropped).toEqual([
      {
        text: 'max-age=5 junk',
        reason: 'unexpected text after directive; applied in its most restrictive form',
      },
    ]);
    expect(parseCacheControl('s-maxage=, public').sMaxAge).toBe(0);
    expect(parseCacheControl('must-revalidate junk').mustRevalidate).toBe(true);
    expect(parseCacheControl('no-store="x').noStore).toBe(true);
  });

  it('a malformed loosening directive is dropped', () => {
    const cc = parseCacheControl('public junk, immutable=, max-stale="5, stale-if-error=1 2');
    expect(cc.public).toBe(false);
    expect(cc.immutable).toBe(false);
    expect(cc.maxStale).toBeUndefined();
    expect(cc.dropped).toHaveLength(3);
  });

  it('an unterminated quoted argument swallows the rest, but its directive still restricts', () => {
    const cc = parseCacheControl('private="a, no-store');
    expect(cc.private).toBe(true);
    expect(cc.noStore).toBe(false);
    expect(cc.dropped).toHaveLength(1);
  });

  it('cacheControl() combines every field line of a HeaderList', () => {
    const headers = new HeaderList([
      ['Cache-Control', 'max-age=60'],
      ['cache-control', 'no-cache="x", max-age=30'],
    ]);
    const cc = cacheControl(headers);
    expect(cc.maxAge).toBe(30);
    expect(cc.noCache).toEqual(['x']);
    expect(cacheControl(new HeaderList()).maxAge).toBeUndefined();
  });
});

describe('formatCacheControl', () => {
  it('writes request directives in a fixed order', () => {
    expect(formatCacheControl({ noCache: true, maxAge: 0, maxStale: Number.POSITIVE_INFINITY })).toBe(
      'max-age=0, max-stale, no-cache',
    );
    expect(formatCacheControl({ onlyIfCached: true, minFresh: 5, maxStale: 10 })).toBe(
      'max-stale=10, min-fresh=5, only-if-cached',
    );
    expect(formatCacheControl({})).toBe('');
  });

  it('quotes field-name lists and extension arguments that are not tokens', () => {
    expect(formatCacheControl({ private: ['Set-Cookie', 'X-A'] })).toBe('private="Set-Cookie, X-A"');
    expect(formatCacheControl({ extensions: { community: 'U C I', flag: null, n: '1' } })).toBe(
      'community="U C I", flag, n=1',
    );
    expect(formatCacheControl({ extensions: new Map([['q', 'a"b']]) })).toBe('q="a\\"b"');
  });

  it('refuses what cannot be sent', () => {
    const bad: CacheControlInit[] = [
      { maxAge: -1 },
      { maxAge: 1.5 },
      { minFresh: Number.NaN },
      { noCache: [] },
      { noCache: ['bad name'] },
      { extensions: { 'max-age': '5' } },
      { extensions: { 'not token': null } },
      { extensions: { ext: 'line\r\nbreak' } },
    ];
    for (const init of bad)
      expect(() => formatCacheControl(init), JSON.stringify(init)).toThrow(InvalidHeaderError);
  });
});

const seconds = fc.option(fc.integer({ min: 0, max: 2 ** 31 }), { nil: undefined });
const fieldName = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const fieldList = fc.oneof(
  fc.constant(false as const),
  fc.constant(true as const),
  fc.uniqueArray(fieldName, { minLength: 1, maxLength: 4 }),
);
const extensionName = fc.stringMatching(/^x-[a-z0-9!#$%&'*+.^_`|~-]{1,8}$/);
const extensionValue = fc.option(
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((code) => code !== 0x7f)
      .map((code) => String.fromCharCode(code)),
    maxLength: 10,
  }),
  { nil: null },
);

const init = fc.record({
  maxAge: seconds,
  sMaxAge: seconds,
  maxStale: fc.oneof(seconds, fc.constant(Number.POSITIVE_INFINITY)),
  minFresh: seconds,
  staleWhileRevalidate: seconds,
  staleIfError: seconds,
  noCache: fieldList,
  private: fieldList,
  noStore: fc.boolean(),
  noTransform: fc.boolean(),
  onlyIfCached: fc.boolean(),
  mustRevalidate: fc.boolean(),
  proxyRevalidate: fc.boolean(),
  mustUnderstand: fc.boolean(),
  public: fc.boolean(),
  immutable: fc.boolean(),
  extensions: fc.dictionary(extensionName, extensionValue, { maxKeys: 3 }),
});

describe('Cache-Control round trip', () => {
  it('parse(format(x)) gives x back with nothing dropped', () => {
    fc.assert(
      fc.property(init, (directives) => {
        const parsed = parseCacheControl(formatCacheControl(directives));
        expect(parsed.dropped).toEqual([]);
        const { extensions, ...typed } = directives;
        const { extensions: parsedExtensions, dropped: _dropped, ...parsedTyped } = parsed;
        expect(parsedTyped).toEqual(typed);
        expect(Object.fromEntries(parsedExtensions)).toEqual(extensions);
      }),
    );
  });

  it('never throws and always returns well-formed numbers on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const parsed = parseCacheControl(text);
        for (const value of [parsed.maxAge, parsed.sMaxAge, parsed.minFresh]) {
          if (value !== undefined)
            expect(Number.isInteger(value) && value >= 0 && value <= 2 ** 31).toBe(true);
        }
      }),
    );
  });
});

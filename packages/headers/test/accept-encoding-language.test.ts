import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acceptEncoding,
  acceptLanguage,
  encodingQuality,
  formatAcceptEncoding,
  formatAcceptLanguage,
  HeaderList,
  InvalidHeaderError,
  languageQuality,
  parseAcceptEncoding,
  parseAcceptLanguage,
  preferredEncoding,
  preferredLanguage,
} from '../src/index.js';

describe('Accept-Encoding', () => {
  it('reads codings with qualities, sorted, lower-cased', () => {
    const parsed = parseAcceptEncoding('gzip;q=0.5, BR, *;q=0, , identity; q=0.1');
    expect(parsed.entries).toEqual([
      { coding: 'br', quality: 1 },
      { coding: 'gzip', quality: 0.5 },
      { coding: 'identity', quality: 0.1 },
      { coding: '*', quality: 0 },
    ]);
    expect(parseAcceptEncoding('')).toEqual({ entries: [], dropped: [] });
  });

  it('drops bad elements', () => {
    const parsed = parseAcceptEncoding('gzip;q=1.5, "br", deflate;level=9, zstd');
    expect(parsed.entries).toEqual([
      { coding: 'deflate', quality: 1 },
      { coding: 'zstd', quality: 1 },
    ]);
    expect(parsed.dropped.map((part) => part.text)).toEqual(['gzip;q=1.5', '"br"']);
  });

  it('applies the identity and "*" rules of RFC 9110 §12.5.3', () => {
    expect(encodingQuality(parseAcceptEncoding('gzip'), 'identity')).toBe(1);
    expect(encodingQuality(parseAcceptEncoding('gzip'), 'br')).toBe(0);
    expect(encodingQuality(parseAcceptEncoding(''), 'identity')).toBe(1);
    expect(encodingQuality(parseAcceptEncoding('*;q=0'), 'identity')).toBe(0);
    expect(encodingQuality(parseAcceptEncoding('identity;q=0, *'), 'identity')).toBe(0);
    expect(encodingQuality(parseAcceptEncoding('*;q=0.3, gzip'), 'BR')).toBe(0.3);
    expect(encodingQuality(null, 'br')).toBe(1);
    expect(preferredEncoding(parseAcceptEncoding('gzip;q=0.5, br'), ['gzip', 'br', 'identity'])).toBe('br');
    expect(preferredEncoding(parseAcceptEncoding('*;q=0'), ['gzip', 'identity'])).toBeUndefined();
    expect(acceptEncoding(new HeaderList())).toBeNull();
    expect(acceptEncoding(new HeaderList({ 'Accept-Encoding': 'gzip' }))?.entries).toHaveLength(1);
  });

  it('formats and round-trips', () => {
    expect(
      formatAcceptEncoding(['gzip', { coding: 'br', quality: 0.9 }, { coding: 'identity', quality: 1 }]),
    ).toBe('gzip, br;q=0.9, identity');
    expect(formatAcceptEncoding([])).toBe('');
    expect(() => formatAcceptEncoding(['g zip'])).toThrow(InvalidHeaderError);
    expect(() => formatAcceptEncoding([{ coding: 'gzip', quality: 2 }])).toThrow(InvalidHeaderError);
    const coding = fc.stringMatching(/^[a-z0-9!#$%&'*+.^_`|~-]{1,8}$/);
    const entry = fc.record({
      coding,
      quality: fc.integer({ min: 0, max: 1000 }).map((value) => value / 1000),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), (entries) => {
        const parsed = parseAcceptEncoding(formatAcceptEncoding(entries));
        const stable = entries
          .map((value, order) => ({ value, order }))
          .sort((a, b) => b.value.quality - a.value.quality || a.order - b.order)
          .map(({ value }) => value);
        expect(parsed).toEqual({ entries: stable, dropped: [] });
      }),
    );
  });
});

describe('Accept-Language', () => {
  it('reads ranges with qualities, sorted, lower-cased', () => {
    const parsed = parseAcceptLanguage('da, en-GB;q=0.8, en;q=0.7, *;q=0.1');
    expect(parsed.entries).toEqual([
      { range: 'da', quality: 1 },
      { range: 'en-gb', quality: 0.8 },
      { range: 'en', quality: 0.7 },
      { range: '*', quality: 0.1 },
    ]);
  });

  it('drops malformed ranges', () => {
    const parsed = parseAcceptLanguage('en_US, 1en, abcdefghi, zh-Hant-TW, de-1996, -en, en-');
    expect(parsed.entries.map((entry) => entry.range)).toEqual(['zh-hant-tw', 'de-1996']);
    expect(parsed.dropped).toHaveLength(5);
  });

  it('basic filtering: the longest matching range decides', () => {
    const parsed = parseAcceptLanguage('en;q=0.5, en-gb, fr;q=0, *;q=0.1');
    expect(languageQuality(parsed, 'en-GB')).toBe(1);
    expect(languageQuality(parsed, 'en-US')).toBe(0.5);
    expect(languageQuality(parsed, 'eng')).toBe(0.1);
    expect(languageQuality(parsed, 'fr-CA')).toBe(0);
    expect(preferredLanguage(parsed, ['fr', 'en-US', 'de'])).toBe('en-US');
    expect(preferredLanguage(parseAcceptLanguage('fr'), ['de'])).toBeUndefined();
    expect(preferredLanguage(null, ['de'])).toBe('de');
    expect(acceptLanguage(new HeaderList({ 'Accept-Language': 'fr' }))?.entries).toEqual([
      { range: 'fr', quality: 1 },
    ]);
  });

  it('formats and round-trips', () => {
    expect(formatAcceptLanguage(['en-GB', { range: 'en', quality: 0.5 }])).toBe('en-GB, en;q=0.5');
    expect(() => formatAcceptLanguage([])).toThrow(InvalidHeaderError);
    expect(() => formatAcceptLanguage(['en_GB'])).toThrow(InvalidHeaderError);
    expect(() => formatAcceptLanguage(['en, fr'])).toThrow(InvalidHeaderError);
    const range = fc.oneof(fc.constant('*'), fc.stringMatching(/^[a-z]{1,8}(-[a-z0-9]{1,8}){0,2}$/));
    const entry = fc.record({
      range,
      quality: fc.integer({ min: 0, max: 1000 }).map((value) => value / 1000),
    });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), (entries) => {
        const parsed = parseAcceptLanguage(formatAcceptLanguage(entries));
        const stable = entries
          .map((value, order) => ({ value, order }))
          .sort((a, b) => b.value.quality - a.value.quality || a.order - b.order)
          .map(({ value }) => value);
        expect(parsed).toEqual({ entries: stable, dropped: [] });
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        parseAcceptEncoding(text);
        parseAcceptLanguage(text);
      }),
    );
  });
});

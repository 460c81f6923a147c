import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acceptRanges,
  connection,
  contentEncoding,
  formatKeepAlive,
  formatTokenList,
  HeaderList,
  InvalidHeaderError,
  keepAlive,
  parseAcceptRanges,
  parseKeepAlive,
  parseTokenList,
  transferEncoding,
} from '../src/index.js';

describe('token lists', () => {
  it('lower-case, keep order and duplicates, ignore empty elements and OWS', () => {
    expect(parseTokenList(' GZip ,, br,\tgzip , ')).toEqual({ tokens: ['gzip', 'br', 'gzip'], dropped: [] });
    expect(parseTokenList('')).toEqual({ tokens: [], dropped: [] });
    expect(parseTokenList(null)).toEqual({ tokens: [], dropped: [] });
  });

  it('drops elements that are not tokens', () => {
    const list = parseTokenList('gzip, "x, y", a b, ;, br');
    expect(list.tokens).toEqual(['gzip', 'br']);
    expect(list.dropped.map((part) => part.text)).toEqual(['"x, y"', 'a b', ';']);
  });

  it('header helpers combine lines', () => {
    const headers = new HeaderList([
      ['Content-Encoding', 'gzip'],
      ['content-encoding', 'br'],
      ['Transfer-Encoding', 'gzip;level=1, chunked'],
      ['Connection', 'Keep-Alive, Upgrade'],
      ['Accept-Ranges', 'bytes'],
    ]);
    expect(contentEncoding(headers).tokens).toEqual(['gzip', 'br']);
    expect(transferEncoding(headers).tokens).toEqual(['gzip', 'chunked']);
    expect(connection(headers).tokens).toEqual(['keep-alive', 'upgrade']);
    expect(acceptRanges(headers).tokens).toEqual(['bytes']);
    expect(contentEncoding(new HeaderList()).tokens).toEqual([]);
  });

  it('transfer codings with broken parameters are dropped, not guessed', () => {
    const list = transferEncoding(new HeaderList({ 'Transfer-Encoding': 'gzip;=1, chunked' }));
    expect(list.tokens).toEqual(['chunked']);
    expect(list.dropped).toHaveLength(1);
  });

  it('Accept-Ranges "none" means no units', () => {
    expect(parseAcceptRanges('none').tokens).toEqual([]);
    expect(parseAcceptRanges('Bytes').tokens).toEqual(['bytes']);
  });

  it('formats and round-trips', () => {
    expect(formatTokenList(['gzip', 'br'])).toBe('gzip, br');
    expect(() => formatTokenList([])).toThrow(InvalidHeaderError);
    expect(() => formatTokenList(['a b'])).toThrow(InvalidHeaderError);
    const token = fc.stringMatching(/^[a-z0-9!#$%&'*+.^_`|~-]{1,10}$/);
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 6 }), (tokens) => {
        expect(parseTokenList(formatTokenList(tokens))).toEqual({ tokens, dropped: [] });
      }),
    );
  });
});

describe('Keep-Alive', () => {
  it('reads timeout and max, any case, first wins', () => {
    expect(parseKeepAlive('timeout=5, max=100')).toEqual({ timeout: 5, max: 100, dropped: [] });
    expect(parseKeepAlive('Timeout = "5" ,MAX=1')).toEqual({ timeout: 5, max: 1, dropped: [] });
    const duplicated = parseKeepAlive('timeout=5, timeout=1');
    expect(duplicated.timeout).toBe(5);
    expect(duplicated.dropped).toEqual([{ text: 'timeout=1', reason: 'duplicate timeout' }]);
  });

  it('drops garbage and unknown parameters', () => {
    const parsed = parseKeepAlive('timeout=-1, max=abc, foo=1, bare, timeout=7');
    expect(parsed.timeout).toBe(7);
    expect(parsed.max).toBeUndefined();
    expect(parsed.dropped.map((part) => part.text)).toEqual(['timeout=-1', 'max=abc', 'foo=1', 'bare']);
    expect(keepAlive(new HeaderList())).toEqual({ timeout: undefined, max: undefined, dropped: [] });
  });

  it('formats and round-trips', () => {
    expect(formatKeepAlive({ timeout: 5 })).toBe('timeout=5');
    expect(() => formatKeepAlive({})).toThrow(InvalidHeaderError);
    expect(() => formatKeepAlive({ max: -1 })).toThrow(InvalidHeaderError);
    const seconds = fc.option(fc.integer({ min: 0, max: 2 ** 31 }), { nil: undefined });
    fc.assert(
      fc.property(seconds, seconds, (timeout, max) => {
        fc.pre(timeout !== undefined || max !== undefined);
        expect(parseKeepAlive(formatKeepAlive({ timeout, max }))).toEqual({ timeout, max, dropped: [] });
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  charsetOf,
  contentType,
  essenceOf,
  formatMediaType,
  HeaderList,
  InvalidHeaderError,
  type MediaType,
  parseMediaType,
} from '../src/index.js';

function parsed(text: string): MediaType {
  const result = parseMediaType(text);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

describe('parseMediaType', () => {
  it('reads type, subtype and parameters, lower-casing what is case-insensitive', () => {
    const mediaType = parsed('Text/HTML; Charset="UTF-8"; q=x');
    expect(mediaType.type).toBe('text');
    expect(mediaType.subtype).toBe('html');
    expect([...mediaType.parameters]).toEqual([
      ['charset', 'UTF-8'],
      ['q', 'x'],
    ]);
    expect(charsetOf(mediaType)).toBe('utf-8');
    expect(essenceOf(mediaType)).toBe('text/html');
  });

  it('the three equivalent forms of RFC 9110 §8.3.1 read the same', () => {
    const forms = ['text/html;charset=utf-8', 'Text/HTML;Charset="utf-8"', 'text/html; charset="utf-8"'];
    for (const form of forms) {
      expect(essenceOf(parsed(form))).toBe('text/html');
      expect(charsetOf(parsed(form))).toBe('utf-8');
    }
  });

  it('keeps quoted semicolons, commas and escapes inside values', () => {
    const mediaType = parsed('multipart/form-data; boundary="a;b,c\\"d"; x=1');
    expect(mediaType.parameters.get('boundary')).toBe('a;b,c"d');
    expect(mediaType.parameters.get('x')).toBe('1');
  });

  it('tolerates empty parameters and whitespace, skips and reports bad ones', () => {
    const mediaType = parsed(' application/json ;; charset=utf-8 ; ; bogus ; a="unterminated');
    expect([...mediaType.parameters]).toEqual([['charset', 'utf-8']]);
    expect(mediaType.dropped.map((part) => part.text)).toEqual(['bogus', 'a="unterminated']);
  });

  it('first duplicate parameter wins', () => {
    const mediaType = parsed('text/plain; charset=utf-8; charset=latin1');
    expect(charsetOf(mediaType)).toBe('utf-8');
    expect(mediaType.dropped).toHaveLength(1);
  });

  it('refuses space around "=", which §5.6.6 forbids', () => {
    const mediaType = parsed('text/plain; charset = utf-8');
    expect(charsetOf(mediaType)).toBeUndefined();
    expect(mediaType.dropped).toHaveLength(1);
  });

  it('is invalid without a real type/subtype, or with two media types', () => {
    const bad = [
      '',
      'text',
      'text/',
      '/html',
      'text /html',
      'text/ html',
      'te xt/html',
      'text/html, text/plain',
      'text/html garbage',
      '*',
    ];
    for (const text of bad) expect(parseMediaType(text).ok, text).toBe(false);
    expect(parseMediaType(null).ok).toBe(false);
  });

  it('contentType() reads one value and refuses conflicting lines', () => {
    expect(contentType(new HeaderList({ 'Content-Type': 'text/plain' }))?.ok).toBe(true);
    expect(
      contentType(
        new HeaderList([
          ['Content-Type', 'a/b'],
          ['content-type', 'a/b'],
        ]),
      )?.ok,
    ).toBe(true);
    expect(
      contentType(
        new HeaderList([
          ['Content-Type', 'text/html'],
          ['Content-Type', 'text/plain'],
        ]),
      )?.ok,
    ).toBe(false);
    expect(contentType(new HeaderList())).toBeNull();
  });
});

describe('formatMediaType', () => {
  it('writes tokens bare and quotes the rest', () => {
    expect(formatMediaType({ type: 'text', subtype: 'plain', parameters: { charset: 'utf-8' } })).toBe(
      'text/plain; charset=utf-8',
    );
    expect(
      formatMediaType({ type: 'multipart', subtype: 'mixed', parameters: [['boundary', 'a b"c']] }),
    ).toBe('multipart/mixed; boundary="a b\\"c"');
    expect(formatMediaType(parsed('a/b; x="1 2"'))).toBe('a/b; x="1 2"');
    expect(formatMediaType({ type: 'a', subtype: 'b', parameters: { empty: '' } })).toBe('a/b; empty=""');
  });

  it('refuses what cannot be sent', () => {
    expect(() => formatMediaType({ type: 'te xt', subtype: 'plain' })).toThrow(InvalidHeaderError);
    expect(() => formatMediaType({ type: 'text', subtype: '' })).toThrow(InvalidHeaderError);
    expect(() => formatMediaType({ type: 'text', subtype: 'plain', parameters: { 'a b': '1' } })).toThrow(
      InvalidHeaderError,
    );
    expect(() => formatMediaType({ type: 'text', subtype: 'plain', parameters: { a: 'x\r\ny' } })).toThrow(
      InvalidHeaderError,
    );
  });

  it('round-trips', () => {
    const token = fc.stringMatching(/^[a-z0-9!#$%&'*+.^_`|~-]{1,10}$/);
    const quotable = fc.string({
      unit: fc
        .integer({ min: 0x20, max: 0xff })
        .filter((code) => code !== 0x7f)
        .map((code) => String.fromCharCode(code)),
      maxLength: 12,
    });
    const init = fc.record({
      type: token,
      subtype: token,
      parameters: fc.uniqueArray(fc.tuple(token, quotable), { selector: ([name]) => name, maxLength: 4 }),
    });
    fc.assert(
      fc.property(init, (value) => {
        const result = parsed(formatMediaType(value));
        expect(result.type).toBe(value.type);
        expect(result.subtype).toBe(value.subtype);
        expect([...result.parameters]).toEqual(value.parameters);
        expect(result.dropped).toEqual([]);
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (text) => void parseMediaType(text)));
  });
});

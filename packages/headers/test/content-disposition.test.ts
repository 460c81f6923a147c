import { describe, expect, it } from 'vitest';
import {
  type ContentDisposition,
  formatContentDisposition,
  InvalidHeaderError,
  parseContentDisposition,
} from '../src/index.js';

function parsed(value: string): ContentDisposition {
  const result = parseContentDisposition(value);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

describe('parseContentDisposition (RFC 6266, RFC 8187)', () => {
  it('reads type and filename, type lower-cased', () => {
    const value = parsed('Attachment; filename="report 2026.pdf"');
    expect(value.type).toBe('attachment');
    expect(value.filename).toBe('report 2026.pdf');
  });

  it('filename* wins over filename, in either order (§4.3)', () => {
    expect(parsed('attachment; filename="EURO rates"; filename*=utf-8\'\'%e2%82%ac%20rates').filename).toBe(
      '€ rates',
    );
    expect(parsed('attachment; filename*=UTF-8\'\'%e2%82%ac%20rates; filename="EURO rates"').filename).toBe(
      '€ rates',
    );
    expect(parsed("attachment; filename*=iso-8859-1'en'%A3%20rates").filename).toBe('£ rates');
  });

  it('falls back to filename when filename* does not decode', () => {
    expect(parsed("attachment; filename=fallback.txt; filename*=UTF-8''%ff").filename).toBe('fallback.txt');
    expect(parsed("attachment; filename=fallback.txt; filename*=Shift_JIS''%82%a0").filename).toBe(
      'fallback.txt',
    );
  });

  it('reads a quoted filename* (not RFC 8187, but sent in the wild)', () => {
    expect(parsed('attachment; filename*="UTF-8\'\'%c3%a9.txt"').filename).toBe('é.txt');
  });

  it('unescapes quoted-pairs and keeps ; and , inside quotes', () => {
    expect(parsed('attachment; filename="a \\"b\\"; c, d.txt"').filename).toBe('a "b"; c, d.txt');
  });

  it('decodes raw UTF-8 in a quoted filename, as browsers do', () => {
    const latin1OfUtf8 = Buffer.from('ü.txt', 'utf8').toString('latin1');
    expect(parsed(`attachment; filename="${latin1OfUtf8}"`).filename).toBe('ü.txt');
    expect(parsed('attachment; filename="\u00fc.txt"').filename).toBe('ü.txt');
  });

  it('returns the name as sent: path parts are the caller’s to strip', () => {
    expect(parsed('attachment; filename="../../etc/passwd"').filename).toBe('../../etc/passwd');
  });

  it('accepts a trailing ";" and whitespace around "="; keeps other parameters', () => {
    const value = parsed('form-data ; name = "field" ; filename=a.txt ;');
    expect(value.type).toBe('form-data');
    expect(value.parameters.get('name')).toBe('field');
    expect(parsed('inline').filename).toBeNull();
  });

  it.each([
    ['', 'no type'],
    ['attachment; filename="a.txt"; filename="b.exe"', 'a repeated filename'],
    ['attachment; filename="unclosed', 'an unclosed quote'],
    ['attachment; filename=a b.txt', 'an unquoted space'],
    ['attachment filename=a', 'a missing ";"'],
    ['attachment; filename', 'a parameter without a value'],
    ['attachment; filename="a\nb"', 'LF inside quotes'],
  ])('is not ok for %j (%s), and does not throw', (value) => {
    expect(parseContentDisposition(value).ok).toBe(false);
  });
});

describe('formatContentDisposition', () => {
  it('writes form-data parts with name before filename', () => {
    expect(
      formatContentDisposition('form-data', { parameters: { name: 'upload' }, filename: 'a "b".txt' }),
    ).toBe('form-data; name="upload"; filename="a \\"b\\".txt"');
  });

  it('takes parameters as a Map, in its order', () => {
    expect(
      formatContentDisposition('form-data', {
        parameters: new Map([
          ['z', '1'],
          ['a', '2'],
        ]),
      }),
    ).toBe('form-data; z="1"; a="2"');
  });

  it('adds filename* with an ASCII fallback for non-ASCII names, which parses back', () => {
    const value = formatContentDisposition('attachment', { filename: 'naïve €.txt' });
    expect(value).toBe('attachment; filename="na_ve _.txt"; filename*=UTF-8\'\'na%C3%AFve%20%E2%82%AC.txt');
    expect(parsed(value).filename).toBe('naïve €.txt');
  });

  it.each([
    ['CR LF in the filename', () => formatContentDisposition('attachment', { filename: 'a\r\nX-Evil: 1' })],
    ['a type that is not a token', () => formatContentDisposition('attach ment')],
    ['a parameter name ending in *', () => formatContentDisposition('inline', { parameters: { 'x*': 'y' } })],
    ['a lone surrogate', () => formatContentDisposition('inline', { filename: '\ud800' })],
  ])('throws InvalidHeaderError for %s', (_name, build) => {
    let caught: unknown;
    try {
      build();
    } catch (error) {
      caught = error;
    }
    expect(InvalidHeaderError.is(caught)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import {
  Decimal,
  DisplayString,
  getStructuredDictionary,
  getStructuredItem,
  getStructuredList,
  HeaderList,
  type Item,
  innerList,
  isInnerList,
  item,
  type Member,
  parseDictionary,
  parseItem,
  parseList,
  StructuredFieldError,
  serializeDictionary,
  serializeItem,
  serializeList,
  Token,
} from '../src/index.js';

/** Awkward inputs seen in the wild, and the API's own promises. */

function okValue<T>(result: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result.value;
}

describe('parsing what servers really send', () => {
  it('fails on stray and trailing commas instead of guessing', () => {
    expect(parseList('1, , 2').ok).toBe(false);
    expect(parseList('1, 2,').ok).toBe(false);
    expect(parseDictionary(',a=1').ok).toBe(false);
  });

  it('accepts OWS around commas and SP around the value, but not HTAB at the ends', () => {
    expect(okValue(parseList('  1 ,\t2 ')).map((member) => (member as { value: unknown }).value)).toEqual([
      1, 2,
    ]);
    expect(parseList('\t1').ok).toBe(false);
  });

  it('keeps commas inside strings', () => {
    const list = okValue(parseList('"a, b", c;q="x,y"'));
    expect(list).toHaveLength(2);
    expect((list[0] as { value: unknown }).value).toBe('a, b');
    expect((list[1] as { parameters: Map<string, unknown> }).parameters.get('q')).toBe('x,y');
  });

  it('keys are lower case only; tokens keep their case', () => {
    expect(parseDictionary('A=1').ok).toBe(false);
    expect(parseItem('1;Q=2').ok).toBe(false);
    const token = okValue(parseItem('FooBar')).value;
    expect(token).toBeInstanceOf(Token);
    expect((token as Token).value).toBe('FooBar');
  });

  it('a repeated dictionary key or parameter: last value wins, first position kept', () => {
    const dictionary = okValue(parseDictionary('a=1, b=2, a=3'));
    expect([...dictionary.keys()]).toEqual(['a', 'b']);
    expect((dictionary.get('a') as { value: unknown }).value).toBe(3);
    const parameters = okValue(parseItem('x;p=1;q;p=2')).parameters;
    expect([...parameters]).toEqual([
      ['p', 2],
      ['q', true],
    ]);
  });

  it('tells Decimal from Integer', () => {
    expect(okValue(parseItem('1')).value).toBe(1);
    const decimal = okValue(parseItem('1.0')).value;
    expect(decimal).toBeInstanceOf(Decimal);
    expect((decimal as Decimal).value).toBe(1);
    expect(parseItem('1.').ok).toBe(false);
    expect(parseItem('1.2345').ok).toBe(false);
  });

  it('parses byte sequences into a Uint8Array that owns its memory', () => {
    const bytes = okValue(parseItem(':AQID:')).value as Uint8Array;
    expect([...bytes]).toEqual([1, 2, 3]);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(3);
  });

  it('decodes display strings as UTF-8 and keeps a byte-order mark', () => {
    expect((okValue(parseItem('%"caf%c3%a9"')).value as DisplayString).value).toBe('café');
    expect((okValue(parseItem('%"%ef%bb%bfx"')).value as DisplayString).value).toBe('\ufeffx');
    expect(parseItem('%"%ff"').ok).toBe(false);
  });

  it('reports where and why parsing failed', () => {
    const result = parseList('1, "open');
    expect(result).toEqual({ ok: false, reason: 'string is not closed at index 8' });
  });

  it('never throws, even on a non-string', () => {
    expect(parseItem(null as unknown as string)).toEqual({
      ok: false,
      reason: 'field value is not a string',
    });
  });

  it('tells inner lists from items', () => {
    const [first, second] = okValue(parseList('(a b);x, c')) as [Member, Member];
    expect(isInnerList(first)).toBe(true);
    expect(isInnerList(second)).toBe(false);
  });
});

describe('reading from a HeaderList (RFC 9651 §4.2: field lines combined)', () => {
  it('combines several lines into one Dictionary', () => {
    const headers = new HeaderList([
      ['Example-Dict', 'a=1'],
      ['example-dict', 'b=?0'],
    ]);
    const dictionary = okValue(getStructuredDictionary(headers, 'example-dict'));
    expect([...dictionary.keys()]).toEqual(['a', 'b']);
  });

  it('an absent List or Dictionary is empty; an absent Item is not ok', () => {
    const headers = new HeaderList();
    expect(okValue(getStructuredList(headers, 'x'))).toEqual([]);
    expect(okValue(getStructuredDictionary(headers, 'x')).size).toBe(0);
    expect(getStructuredItem(headers, 'x')).toEqual({ ok: false, reason: 'x is absent' });
  });

  it('an Item split over two lines fails, as the RFC requires', () => {
    const headers = new HeaderList([
      ['x', '1'],
      ['x', '2'],
    ]);
    expect(getStructuredItem(headers, 'x').ok).toBe(false);
    expect(okValue(getStructuredList(headers, 'x'))).toHaveLength(2);
  });
});

describe('serialising', () => {
  it('writes every bare item type', () => {
    const list = [
      item(42),
      item(new Decimal(1)),
      item(0.5),
      item('say "hi" \\'),
      item(new Token('text/html')),
      item(new Uint8Array([1, 2, 3])),
      item(false),
      item(new Date(1_659_578_233_000)),
      item(new DisplayString('100% "sûr"')),
    ];
    expect(serializeList(list)).toBe(
      '42, 1.0, 0.5, "say \\"hi\\" \\\\", text/html, :AQID:, ?0, @1659578233, %"100%25 %22s%c3%bbr%22"',
    );
  });

  it('writes parameters, true as a bare key, from a Map or a plain object', () => {
    expect(serializeItem(item(new Token('a'), { q: new Decimal(0.5), flag: true }))).toBe('a;q=0.5;flag');
    expect(serializeDictionary({ a: item(true, { x: 1 }), b: innerList([1, item(2, { y: false })]) })).toBe(
      'a;x=1, b=(1 2;y=?0)',
    );
  });

  it('recognises Token, Decimal and DisplayString from another copy of the package by brand', () => {
    const brandOf = (name: string): Record<symbol, boolean> => ({ [Symbol.for(`@x/headers.${name}`)]: true });
    const token = { value: 'other', ...brandOf('Token') } as unknown as Token;
    const decimal = { value: 2, ...brandOf('Decimal') } as unknown as Decimal;
    const display = { value: 'é', ...brandOf('DisplayString') } as unknown as DisplayString;
    expect(serializeList([item(token), item(decimal), item(display)])).toBe('other, 2.0, %"%c3%a9"');
    expect(Token.is({ value: 'x' })).toBe(false);
  });

  it('accepts parameters written as a plain object in a hand-built Item', () => {
    const handBuilt = { value: 1, parameters: { a: true, b: 2 } } as unknown as Item;
    expect(serializeItem(handBuilt)).toBe('1;a;b=2');
  });

  it('an empty List or Dictionary is "" (omit the field)', () => {
    expect(serializeList([])).toBe('');
    expect(serializeDictionary(new Map())).toBe('');
  });

  it('rounds decimals half to even on their decimal digits', () => {
    expect(serializeItem(item(new Decimal(0.0025)))).toBe('0.002');
    expect(serializeItem(item(new Decimal(0.0035)))).toBe('0.004');
    expect(serializeItem(item(new Decimal(-0.0001)))).toBe('0.0');
    expect(serializeItem(item(new Decimal(999_999_999_999.9994)))).toBe('999999999999.999');
  });

  it.each([
    ['a String with LF (header injection)', () => serializeItem(item('a\r\nSet-Cookie: x=1'))],
    ['a non-ASCII String', () => serializeItem(item('café'))],
    ['an upper-case key', () => serializeDictionary({ Key: item(1) })],
    ['an integer of 16 digits', () => serializeItem(item(1_000_000_000_000_000))],
    ['a decimal of 13 integer digits', () => serializeItem(item(new Decimal(1_000_000_000_000.5)))],
    ['NaN', () => serializeItem(item(Number.NaN))],
    ['a Token starting with a digit', () => serializeItem(item(new Token('1a')))],
    ['a Token with a space', () => serializeItem(item(new Token('a b')))],
    ['a Date with milliseconds', () => serializeItem(item(new Date(1500)))],
    ['an invalid Date', () => serializeItem(item(new Date(Number.NaN)))],
    ['a lone surrogate', () => serializeItem(item(new DisplayString('\ud800')))],
    ['a non-item value', () => serializeItem(item({} as unknown as boolean))],
    ['a bare value as a list member', () => serializeList([1 as unknown as Member])],
    ['null as a dictionary value', () => serializeDictionary({ a: null as unknown as Member })],
    ['null as an item', () => serializeItem(null as unknown as Item)],
    [
      'null inside an inner list',
      () => serializeList([{ items: [null as unknown as Item], parameters: new Map() }]),
    ],
    [
      'parameters that are a string',
      () => serializeItem({ value: 1, parameters: 'x' as unknown as Map<string, 1> }),
    ],
  ])('throws StructuredFieldError for %s', (_name, serialize) => {
    let caught: unknown;
    try {
      serialize();
    } catch (error) {
      caught = error;
    }
    expect(StructuredFieldError.is(caught)).toBe(true);
    expect((caught as StructuredFieldError).code).toBe('INVALID_STRUCTURED_FIELD');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeaderList, InvalidHeaderError, isToken } from '../src/index.js';

describe('HeaderList', () => {
  it('looks up case-insensitively and keeps the wire casing', () => {
    const list = new HeaderList([
      ['X-Trace-ID', 'a'],
      ['content-type', 'text/plain'],
    ]);
    expect(list.get('x-trace-id')).toBe('a');
    expect(list.get('CONTENT-TYPE')).toBe('text/plain');
    expect([...list]).toEqual([
      ['X-Trace-ID', 'a'],
      ['content-type', 'text/plain'],
    ]);
    expect(list.toString()).toBe('X-Trace-ID: a\r\ncontent-type: text/plain\r\n');
  });

  it('keeps repeated fields in order; get combines, getAll separates', () => {
    const list = new HeaderList();
    list.append('Accept', 'a').append('X', '1').append('accept', 'b');
    expect(list.get('accept')).toBe('a, b');
    expect(list.getAll('ACCEPT')).toEqual(['a', 'b']);
    expect(list.size).toBe(3);
    expect(list.get('missing')).toBeNull();
    expect(list.getAll('missing')).toEqual([]);
  });

  it('set replaces every line at the position of the first', () => {
    const list = new HeaderList([
      ['A', '1'],
      ['B', '2'],
      ['a', '3'],
      ['C', '4'],
    ]);
    list.set('A', 'x');
    expect(list.toRaw()).toEqual(['A', 'x', 'B', '2', 'C', '4']);
    list.set('D', 'y');
    expect(list.toRaw()).toEqual(['A', 'x', 'B', '2', 'C', '4', 'D', 'y']);
  });

  it('delete removes every line of a name and reports whether it did', () => {
    const list = new HeaderList([
      ['A', '1'],
      ['B', '2'],
      ['a', '3'],
    ]);
    expect(list.delete('a')).toBe(true);
    expect(list.toRaw()).toEqual(['B', '2']);
    expect(list.delete('a')).toBe(false);
  });

  it('builds from records with arrays and numbers, skipping undefined', () => {
    const list = new HeaderList({ 'Set-Cookie': ['a=1', 'b=2'], 'Content-Length': 5, Skip: undefined });
    expect(list.getAll('set-cookie')).toEqual(['a=1', 'b=2']);
    expect(list.get('content-length')).toBe('5');
    expect(list.has('skip')).toBe(false);
  });

  it('reads only own properties: a polluted prototype adds nothing', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.Injected = 'evil';
    try {
      const list = new HeaderList({ A: '1' });
      expect(list.has('injected')).toBe(false);
      expect(list.size).toBe(1);
    } finally {
      delete proto.Injected;
    }
  });

  it.each([
    ['CR in value', 'X', 'a\rb', 'contains CR'],
    ['LF in value', 'X', 'a\nSet-Cookie: x', 'contains LF'],
    ['NUL in value', 'X', 'a\0b', 'contains NUL'],
    ['other control', 'X', 'a\u0001b', 'control character'],
    ['non-Latin-1', 'X', 'snow ☃', 'non-Latin-1'],
    ['space in name', 'X Y', 'v', 'token'],
    ['colon in name', 'X:', 'v', 'token'],
    ['empty name', '', 'v', 'token'],
    ['CRLF in name', 'X\r\nY', 'v', 'token'],
  ])('refuses %s with InvalidHeaderError and changes nothing', (_label, name, value, reason) => {
    const list = new HeaderList({ Keep: '1' });
    let caught: unknown;
    try {
      list.append(name, value);
    } catch (error) {
      caught = error;
    }
    expect(InvalidHeaderError.is(caught)).toBe(true);
    expect((caught as InvalidHeaderError).code).toBe('INVALID_HEADER');
    expect((caught as InvalidHeaderError).reason).toContain(reason);
    expect(() => list.set(name, value)).toThrow(InvalidHeaderError);
    expect(list.toRaw()).toEqual(['Keep', '1']);
  });

  it('trims optional whitespace around values but keeps inner whitespace and tabs', () => {
    const list = new HeaderList({ X: ' \t a \t b \t ' });
    expect(list.get('x')).toBe('a \t b');
  });

  it('fromRaw takes parser arrays without copying names or values', () => {
    const list = HeaderList.fromRaw(['Content-Length', '10', 'X-A', '1', 'x-a', '2']);
    expect(list.get('content-length')).toBe('10');
    expect(list.getAll('x-a')).toEqual(['1', '2']);
    expect(list.names()).toEqual(['content-length', 'x-a']);
  });

  it('toObject keeps Set-Cookie apart and survives a __proto__ header', () => {
    const list = new HeaderList([
      ['__proto__', 'p'],
      ['Set-Cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['Vary', 'a'],
      ['vary', 'b'],
    ]);
    const object = list.toObject();
    expect(Object.getOwnPropertyDescriptor(object, '__proto__')?.value).toBe('p');
    expect(object['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(object.vary).toBe('a, b');
  });

  it('clone is independent', () => {
    const list = new HeaderList({ A: '1' });
    const copy = list.clone();
    copy.append('B', '2');
    expect(list.has('b')).toBe(false);
    expect(new HeaderList(list).toRaw()).toEqual(['A', '1']);
  });

  it('with() returns a copy with one more line at the end, validated and trimmed like append', () => {
    const list = new HeaderList([
      ['Accept', 'text/html'],
      ['X-Two', '2'],
    ]);
    const copy = list.with('Accept-Encoding', '  gzip, br\t');
    expect(copy.toRaw()).toEqual(['Accept', 'text/html', 'X-Two', '2', 'Accept-Encoding', 'gzip, br']);
    expect(copy.get('accept-encoding')).toBe('gzip, br');
    expect(copy.names()).toEqual(['accept', 'x-two', 'accept-encoding']);
    expect(list.toRaw()).toEqual(['Accept', 'text/html', 'X-Two', '2']);
    expect(list.has('accept-encoding')).toBe(false);
    // Independent both ways.
    copy.set('Accept', 'a/b').delete('x-two');
    list.append('X-Three', 3);
    expect(list.toRaw()).toEqual(['Accept', 'text/html', 'X-Two', '2', 'X-Three', '3']);
    expect(copy.toRaw()).toEqual(['Accept', 'a/b', 'Accept-Encoding', 'gzip, br']);
    // A repeated name is one more line, as with append.
    expect(copy.with('accept', 'c/d').getAll('ACCEPT')).toEqual(['a/b', 'c/d']);
    expect(new HeaderList().with('A', 1).toRaw()).toEqual(['A', '1']);
  });

  it('with() refuses what append refuses and leaves the list as it was', () => {
    const list = new HeaderList({ A: '1' });
    for (const [name, value] of [
      ['Bad Name', 'x'],
      ['', 'x'],
      ['X', 'a\r\nInjected: 1'],
      ['X', 'a\0b'],
      ['X', 'Ā'],
    ] as const) {
      expect(() => list.with(name, value)).toThrow(InvalidHeaderError);
      expect(() => list.clone().append(name, value)).toThrow(InvalidHeaderError);
    }
    expect(list.toRaw()).toEqual(['A', '1']);
  });

  it('with() gives the same list as clone().append() for any valid lists and field', () => {
    const tchar = fc.constantFrom(
      ..."!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    );
    const name = fc.string({ unit: tchar, minLength: 1, maxLength: 12 });
    const value = fc.string({ unit: fc.constantFrom('a', 'B', ' ', '\t', ',', '=', 'é'), maxLength: 12 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(name, value), { maxLength: 8 }),
        name,
        value,
        (pairs, extraName, extraValue) => {
          const list = new HeaderList(pairs);
          const viaWith = list.with(extraName, extraValue);
          const viaAppend = list.clone().append(extraName, extraValue);
          expect(viaWith.toRaw()).toEqual(viaAppend.toRaw());
          expect(viaWith.names()).toEqual(viaAppend.names());
          expect(viaWith.toObject()).toEqual(viaAppend.toObject());
          expect(list.size).toBe(pairs.length);
        },
      ),
    );
  });

  it('any valid token name and clean value round-trips through the wire form', () => {
    const tchar = fc.constantFrom(
      ..."!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    );
    const name = fc.string({ unit: tchar, minLength: 1, maxLength: 20 });
    const valueChar = fc.integer({ min: 0x20, max: 0xff }).filter((code) => code !== 0x7f);
    const value = fc
      .array(valueChar, { maxLength: 40 })
      .map((codes) => String.fromCharCode(...codes).trim())
      .filter((text) => text === text.replace(/^[ \t]+|[ \t]+$/g, ''));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 10 }), (pairs) => {
        expect(pairs.every(([n]) => isToken(n))).toBe(true);
        const list = new HeaderList(pairs);
        expect([...list]).toEqual(pairs);
        expect([...HeaderList.fromRaw(list.toRaw())]).toEqual(pairs);
      }),
    );
  });
});

describe('HeaderList memo', () => {
  const KEY = {};
  const joined = (list: HeaderList) => list.toRaw().join('|');

  it('computes once per content, shared by the lists cloned from each other', () => {
    const list = new HeaderList({ 'User-Agent': 'x', Accept: '*/*' });
    let computed = 0;
    const compute = (of: HeaderList) => {
      computed++;
      return joined(of);
    };
    const first = list.clone();
    expect(first.memo(KEY, compute)).toBe('User-Agent|x|Accept|*/*');
    // The original and a later clone see the value the first clone computed.
    expect(list.memo(KEY, compute)).toBe('User-Agent|x|Accept|*/*');
    expect(list.clone().clone().memo(KEY, compute)).toBe('User-Agent|x|Accept|*/*');
    expect(computed).toBe(1);
  });

  it('forgets the value for a list whose fields change, and only for that list', () => {
    const list = new HeaderList({ A: '1' });
    const copy = list.clone();
    expect(copy.memo(KEY, joined)).toBe('A|1');
    list.append('B', '2');
    expect(list.memo(KEY, joined)).toBe('A|1|B|2');
    expect(copy.memo(KEY, joined)).toBe('A|1');
    copy.set('A', '9');
    expect(copy.memo(KEY, joined)).toBe('A|9');
    const deleted = copy.clone();
    deleted.delete('A');
    expect(deleted.memo(KEY, joined)).toBe('');
    expect(copy.memo(KEY, joined)).toBe('A|9');
    // A change that changes nothing (deleting an absent name) keeps the value.
    let computed = 0;
    copy.delete('absent');
    copy.memo(KEY, (of) => {
      computed++;
      return joined(of);
    });
    expect(computed).toBe(0);
  });

  it('keeps callers apart by key, and does not keep a value whose compute changed the fields', () => {
    const list = new HeaderList({ A: '1' });
    expect(list.memo(KEY, () => 'mine')).toBe('mine');
    expect(list.memo({}, () => 'theirs')).toBe('theirs');
    const other = {};
    const changing = (of: HeaderList) => {
      of.append('C', '3');
      return 'stale';
    };
    expect(list.memo(other, changing)).toBe('stale');
    expect(list.memo(other, joined)).toBe('A|1|C|3');
  });

  it('starts empty on lists made by fromRaw, with and a record', () => {
    const source = new HeaderList({ A: '1' });
    source.memo(KEY, () => 'cached');
    expect(source.with('B', '2').memo(KEY, joined)).toBe('A|1|B|2');
    expect(HeaderList.fromRaw(['A', '1']).memo(KEY, joined)).toBe('A|1');
    expect(new HeaderList({ A: '1' }).memo(KEY, joined)).toBe('A|1');
  });
});

describe('HeaderList.extending and prefixMemo', () => {
  const KEY = {};
  const joined = (list: HeaderList) => list.toRaw().join('|');

  it("is the base's fields then the given ones, and leaves the base as it was", () => {
    const base = new HeaderList({ 'User-Agent': 'x' });
    const list = HeaderList.extending(base, ['Content-Type', 'text/plain', 'X-Id', '7']);
    expect(list.toRaw()).toEqual(['User-Agent', 'x', 'Content-Type', 'text/plain', 'X-Id', '7']);
    expect(list.get('content-type')).toBe('text/plain');
    expect(base.toRaw()).toEqual(['User-Agent', 'x']);
    list.append('A', '1');
    expect(base.size).toBe(1);
  });

  it("serves the base's memoised value for the prefix, computed once for every list extending it", () => {
    const base = new HeaderList({ 'User-Agent': 'x', Accept: '*/*' });
    let computed = 0;
    const compute = (of: HeaderList) => {
      computed++;
      return joined(of);
    };
    const first = HeaderList.extending(base, ['A', '1']).prefixMemo(KEY, compute);
    const second = HeaderList.extending(base.clone(), ['B', '2']).prefixMemo(KEY, compute);
    expect(first).toEqual({ value: 'User-Agent|x|Accept|*/*', fields: 2 });
    expect(second).toEqual(first);
    // The base itself sees the value computed for the prefix.
    expect(base.memo(KEY, compute)).toBe('User-Agent|x|Accept|*/*');
    expect(computed).toBe(1);
    expect(base.with('C', '3').prefixMemo(KEY, compute)).toEqual(first);
    expect(computed).toBe(1);
  });

  it('keeps the prefix as it was when the base changes later', () => {
    const base = new HeaderList({ A: '1' });
    const list = HeaderList.extending(base, ['B', '2']);
    base.set('A', '9');
    base.append('Z', '0');
    expect(list.prefixMemo(KEY, joined)).toEqual({ value: 'A|1', fields: 1 });
    expect(base.memo(KEY, joined)).toBe('A|9|Z|0');
  });

  it('keeps the prefix through append and clone, drops it on set and delete', () => {
    const base = new HeaderList({ A: '1', B: '2' });
    const grown = HeaderList.extending(base, []).append('C', '3');
    expect(grown.clone().prefixMemo(KEY, joined)).toEqual({ value: 'A|1|B|2', fields: 2 });
    const reset = HeaderList.extending(base, ['C', '3']);
    reset.set('C', '4');
    expect(reset.prefixMemo(KEY, joined)).toBeNull();
    const deleted = HeaderList.extending(base, ['C', '3']);
    deleted.delete('A');
    expect(deleted.prefixMemo(KEY, joined)).toBeNull();
    expect(HeaderList.fromRaw(['A', '1']).prefixMemo(KEY, joined)).toBeNull();
    expect(new HeaderList({ A: '1' }).prefixMemo(KEY, joined)).toBeNull();
  });

  it('gives null, and keeps nothing, when the compute changes the list it was given', () => {
    const base = new HeaderList({ A: '1' });
    const list = HeaderList.extending(base, ['B', '2']);
    const changing = (of: HeaderList) => {
      of.append('C', '3');
      return 'stale';
    };
    expect(list.prefixMemo(KEY, changing)).toBeNull();
    expect(base.memo(KEY, joined)).toBe('A|1');
  });
});

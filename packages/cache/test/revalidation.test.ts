import { HeaderList } from '@x/headers';
import { describe, expect, it } from 'vitest';
import {
  answerConditional,
  type CacheEntry,
  conditionalHeaders,
  select304Targets,
  storedFields,
  updateStoredFields,
} from '../src/index.js';
import { mergeFields } from '../src/stored-fields.js';
import { httpDate } from './helpers/origin.js';

const T0 = Date.UTC(2026, 0, 1);

const entry = (id: string, headers: Record<string, string>, responseTime = T0): CacheEntry => ({
  variant: id,
  bodyId: id,
  bodySize: 0,
  head: {
    status: 200,
    reason: 'OK',
    httpVersion: '1.1',
    fields: new HeaderList(headers).toRaw(),
    url: 'http://127.0.0.1/',
    varyValues: [],
    requestTime: responseTime,
    responseTime,
    discardAfter: null,
  },
});
const headersOf = (value: CacheEntry) => HeaderList.fromRaw([...value.head.fields]);
const ids = (entries: CacheEntry[]) => entries.map((value) => value.bodyId);

describe('conditional request (RFC 9111 §4.3.1)', () => {
  it('adds If-None-Match and If-Modified-Since from the stored validators, keeping the request headers', () => {
    const headers = conditionalHeaders(
      new HeaderList({ Accept: 'text/html' }),
      new HeaderList({ ETag: 'W/"x"', 'Last-Modified': httpDate(T0) }),
    );
    expect(headers?.get('accept')).toBe('text/html');
    expect(headers?.get('if-none-match')).toBe('W/"x"');
    expect(headers?.get('if-modified-since')).toBe(httpDate(T0));
  });

  it('gives null when there is no usable validator (an unquoted ETag is not one)', () => {
    expect(conditionalHeaders(new HeaderList(), new HeaderList({ ETag: 'unquoted' }))).toBeNull();
    expect(conditionalHeaders(new HeaderList(), new HeaderList())).toBeNull();
  });
});

describe('which stored responses a 304 updates (RFC 9111 §4.3.4)', () => {
  const a = entry('a', { ETag: '"1"' }, T0 + 2);
  const b = entry('b', { ETag: '"1"' }, T0 + 1);
  const weak = entry('w', { ETag: 'W/"2"', 'Last-Modified': httpDate(T0 - 5000) }, T0 + 3);
  const dated = entry('d', { 'Last-Modified': httpDate(T0 - 9000) });

  it('a strong ETag selects every stored response with that strong ETag', () => {
    expect(ids(select304Targets([a, b, weak], headersOf, new HeaderList({ ETag: '"1"' })))).toEqual([
      'a',
      'b',
    ]);
    expect(select304Targets([weak], headersOf, new HeaderList({ ETag: '"2"' }))).toEqual([]);
  });

  it('a weak ETag or a Last-Modified selects the most recent match only', () => {
    expect(ids(select304Targets([weak, a], headersOf, new HeaderList({ ETag: 'W/"2"' })))).toEqual(['w']);
    expect(ids(select304Targets([a, b], headersOf, new HeaderList({ ETag: 'W/"1"' })))).toEqual(['a']);
    expect(
      ids(select304Targets([a, dated], headersOf, new HeaderList({ 'Last-Modified': httpDate(T0 - 9000) }))),
    ).toEqual(['d']);
  });

  it('no validator selects the single stored response only when it has none either', () => {
    const bare = entry('bare', {});
    expect(ids(select304Targets([bare], headersOf, new HeaderList()))).toEqual(['bare']);
    expect(select304Targets([a], headersOf, new HeaderList())).toEqual([]);
    expect(select304Targets([bare, entry('bare2', {})], headersOf, new HeaderList())).toEqual([]);
  });
});

describe('stored fields (RFC 9111 §3.1, §3.2)', () => {
  it('drops hop-by-hop fields and those named by Connection', () => {
    const stored = storedFields(
      new HeaderList([
        ['Connection', 'close, X-Hop'],
        ['X-Hop', '1'],
        ['Keep-Alive', 'timeout=5'],
        ['Transfer-Encoding', 'chunked'],
        ['ETag', '"a"'],
      ]),
    );
    expect(stored).toEqual([['ETag', '"a"']]);
  });

  it('a 304 replaces the fields it carries, except Content-Length and the body-dependent ones', () => {
    const merged = updateStoredFields(
      [
        ['Cache-Control', 'max-age=1'],
        ['Content-Length', '10'],
        ['Content-Encoding', 'gzip'],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
        ['X-Kept', 'yes'],
      ],
      new HeaderList([
        ['Cache-Control', 'max-age=100'],
        ['Content-Length', '0'],
        ['Content-Encoding', 'identity'],
        ['Set-Cookie', 'c=3'],
        ['X-New', 'new'],
      ]),
    );
    expect(merged).toEqual([
      ['Cache-Control', 'max-age=100'],
      ['Content-Length', '10'],
      ['Content-Encoding', 'gzip'],
      ['Set-Cookie', 'c=3'],
      ['X-Kept', 'yes'],
      ['X-New', 'new'],
    ]);
  });
});

describe('merging a 304 into stored fields on flat lines', () => {
  it('keeps stored order, replaces every line of a name at its first place, groups new names', () => {
    const merged = mergeFields(
      ['Date', 'd1', 'X-Multi', 'a', 'ETag', '"1"', 'x-multi', 'b', 'Content-Length', '12'],
      new HeaderList([
        ['X-New', '1'],
        ['X-Multi', 'c'],
        ['Connection', 'x-hop'],
        ['X-Hop', 'no'],
        ['X-New', '2'],
        ['date', 'd2'],
        ['Content-Length', '0'],
      ]),
    );
    expect(merged).toEqual([
      'date',
      'd2',
      'X-Multi',
      'c',
      'ETag',
      '"1"',
      'Content-Length',
      '12',
      'X-New',
      '1',
      'X-New',
      '2',
    ]);
  });

  it('a 304 with nothing to update gives the stored lines back as a copy', () => {
    const stored = ['ETag', '"1"'];
    const merged = mergeFields(stored, new HeaderList([['Content-Length', '5']]));
    expect(merged).toEqual(stored);
    expect(merged).not.toBe(stored);
  });
});

describe("answering a caller's conditional request (RFC 9111 §4.3.2)", () => {
  const stored = new HeaderList({ ETag: '"v1"', 'Last-Modified': httpDate(T0) });

  it('If-None-Match uses the weak comparison and wins over If-Modified-Since', () => {
    expect(answerConditional(new HeaderList({ 'If-None-Match': 'W/"v1"' }), stored)).toBe('not-modified');
    expect(answerConditional(new HeaderList({ 'If-None-Match': '"x", "v1"' }), stored)).toBe('not-modified');
    expect(answerConditional(new HeaderList({ 'If-None-Match': '*' }), stored)).toBe('not-modified');
    expect(
      answerConditional(
        new HeaderList({ 'If-None-Match': '"x"', 'If-Modified-Since': httpDate(T0 + 1000) }),
        stored,
      ),
    ).toBe('full');
  });

  it('If-Modified-Since compares with Last-Modified', () => {
    expect(answerConditional(new HeaderList({ 'If-Modified-Since': httpDate(T0) }), stored)).toBe(
      'not-modified',
    );
    expect(answerConditional(new HeaderList({ 'If-Modified-Since': httpDate(T0 - 1000) }), stored)).toBe(
      'full',
    );
    expect(answerConditional(new HeaderList({ 'If-Modified-Since': 'garbage' }), stored)).toBe('full');
  });
});

import { type BodySource, createManualClock, createRequest, type HttpResponse } from '@x/core';
import { parseContentRange, parseMediaType } from '@x/headers';
import { describe, expect, it } from 'vitest';
import { type CacheStore, createMemoryStore, multipartBody } from '../src/index.js';
import { harnessPerTest } from './helpers/origin.js';

const open = harnessPerTest();
const BODY = '0123456789abcdefghij';

interface Part {
  headers: Record<string, string>;
  body: string;
}

/** Parses a multipart/byteranges body by its boundary (RFC 2046 §5.1.1), strictly. */
function parseMultipart(response: HttpResponse, text: string): { boundary: string; parts: Part[] } {
  const type = parseMediaType(response.headers.get('content-type') ?? '');
  if (!type.ok) throw new Error('no Content-Type');
  expect(type.value.type).toBe('multipart');
  expect(type.value.subtype).toBe('byteranges');
  const boundary = type.value.parameters.get('boundary') ?? '';
  expect(boundary).not.toBe('');
  expect(text.endsWith(`\r\n--${boundary}--\r\n`)).toBe(true);
  const inner = text.slice(0, -`\r\n--${boundary}--\r\n`.length);
  const sections = inner.split(`\r\n--${boundary}\r\n`);
  const first = sections.shift() ?? '';
  expect(first.startsWith(`--${boundary}\r\n`)).toBe(true);
  sections.unshift(first.slice(`--${boundary}\r\n`.length));
  const parts = sections.map((section) => {
    const split = section.indexOf('\r\n\r\n');
    const headers: Record<string, string> = {};
    for (const line of section.slice(0, split).split('\r\n')) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    return { headers, body: section.slice(split + 4) };
  });
  return { boundary, parts };
}

const stored = (headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' }) =>
  open(() => ({
    headers: {
      'Cache-Control': 'max-age=60',
      ETag: '"r"',
      'Content-Length': String(BODY.length),
      ...headers,
    },
    body: ['0123456', '789abcdefg', 'hij'],
  }));

describe('multipart/byteranges from the cache (RFC 9110 §14.6)', () => {
  it('answers several ranges of a stored response with one 206 whose parts carry Content-Type and Content-Range', async () => {
    const cache = stored();
    await cache.fetch();
    const { response, text } = await cache.fetch({ headers: { Range: 'bytes=0-1, 5-8, -2' } });
    expect(response.status).toBe(206);
    expect(response.headers.has('content-range')).toBe(false);
    expect(Number(response.headers.get('content-length'))).toBe(new TextEncoder().encode(text).byteLength);
    const { parts } = parseMultipart(response, text);
    expect(parts.map((part) => part.body)).toEqual(['01', '5678', 'ij']);
    expect(parts.map((part) => part.headers['content-type'])).toEqual(
      Array(3).fill('text/plain; charset=utf-8'),
    );
    const ranges = parts.map((part) => parseContentRange(part.headers['content-range']));
    expect(ranges.map((range) => (range.ok ? range.value : null))).toEqual([
      { unit: 'bytes', range: { start: 0, end: 1 }, completeLength: 20 },
      { unit: 'bytes', range: { start: 5, end: 8 }, completeLength: 20 },
      { unit: 'bytes', range: { start: 18, end: 19 }, completeLength: 20 },
    ]);
    expect(response.meta.cache?.status).toBe('hit');
    expect(cache.origin.requests).toHaveLength(1);
  });

  it('merges overlapping and adjacent ranges as resolveRange does: one range left is a plain 206', async () => {
    const cache = stored();
    await cache.fetch();
    const merged = await cache.fetch({ headers: { Range: 'bytes=0-2, 3-4, 1-3' } });
    expect(merged.response.status).toBe(206);
    expect(merged.response.headers.get('content-range')).toBe('bytes 0-4/20');
    expect(merged.text).toBe('01234');
    const sorted = await cache.fetch({ headers: { Range: 'bytes=15-16, 0-0, 14-15' } });
    expect(parseMultipart(sorted.response, sorted.text).parts.map((part) => part.body)).toEqual(['0', 'efg']);
  });

  it('sends the whole response past maxRanges range-specs', async () => {
    const cache = open(() => ({ headers: { 'Cache-Control': 'max-age=60' }, body: BODY }), { maxRanges: 2 });
    await cache.fetch();
    const many = await cache.fetch({ headers: { Range: 'bytes=0-0, 2-2, 4-4' } });
    expect(many.response.status).toBe(200);
    expect(many.text).toBe(BODY);
    const two = await cache.fetch({ headers: { Range: 'bytes=0-0, 2-2' } });
    expect(two.response.status).toBe(206);
  });

  it('leaves Content-Type out of the parts when the stored response has none', async () => {
    const cache = open(() => ({ headers: { 'Cache-Control': 'max-age=60' }, body: BODY }));
    await cache.fetch();
    const { response, text } = await cache.fetch({ headers: { Range: 'bytes=0-0, 9-9' } });
    const { parts } = parseMultipart(response, text);
    expect(parts.map((part) => Object.keys(part.headers))).toEqual([['content-range'], ['content-range']]);
    expect(parts.map((part) => part.body)).toEqual(['0', '9']);
  });

  it('uses a fresh unpredictable boundary for every response', async () => {
    const cache = stored();
    await cache.fetch();
    const boundaries = new Set<string>();
    for (let round = 0; round < 5; round++) {
      const { response, text } = await cache.fetch({ headers: { Range: 'bytes=0-0, 5-5' } });
      const { boundary } = parseMultipart(response, text);
      expect(boundary).toMatch(/^x-cache-[0-9a-f]{32}$/);
      boundaries.add(boundary);
    }
    expect(boundaries.size).toBe(5);
  });

  it('streams: the stored body is read only as far as the parts sent so far need', async () => {
    const clock = createManualClock();
    const memory = createMemoryStore({ clock });
    let reads = 0;
    const counting: CacheStore = {
      ...memory,
      async openBody(key, entry) {
        const source = await memory.openBody(key, entry);
        if (source === null) return null;
        return {
          read: () => {
            reads++;
            return source.read();
          },
          cancel: (reason) => source.cancel(reason),
        } satisfies BodySource;
      },
    };
    const chunks = Array.from({ length: 100 }, (_, index) => `${String(index).padStart(2, '0')}xxxxxxxx`);
    const cache = open(() => ({ headers: { 'Cache-Control': 'max-age=60' }, body: chunks }), {
      store: counting,
    });
    await cache.fetch();
    const response = await cache.transport.request(
      createRequest({ url: 'http://127.0.0.1:8080/a', headers: { Range: 'bytes=0-1, 990-999' } }),
    );
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next(); // first part's head
    const firstBytes = await iterator.next();
    expect(new TextDecoder().decode(firstBytes.value)).toBe('00');
    expect(reads).toBe(1);
    await response.body.cancel();
  });

  it('fails, never shortens, when the stored body ends before the ranges', async () => {
    const short: BodySource = (() => {
      let sent = false;
      return {
        async read() {
          if (sent) return null;
          sent = true;
          return new TextEncoder().encode('0123');
        },
        cancel() {},
      };
    })();
    const multipart = multipartBody(
      short,
      [
        { start: 0, end: 1 },
        { start: 6, end: 8 },
      ],
      10,
      null,
      'b',
    );
    const read = async () => {
      for (;;) if ((await multipart.source.read()) === null) return;
    };
    await expect(read()).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
  });
});

import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { createMockTransport, createRequest, type MockReply } from '@x/core';
import { failure } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { advertisedAcceptEncoding, planDecoding, withDecoding } from '../src/index.js';

const text = 'The quick brown fox jumps over the lazy dog. '.repeat(2000);
const plain = Buffer.from(text);

const encoders: Record<string, (input: Buffer) => Buffer> = {
  gzip: (input) => zlib.gzipSync(input),
  deflate: (input) => zlib.deflateSync(input),
  br: (input) => zlib.brotliCompressSync(input),
  zstd: (input) => zlib.zstdCompressSync(input),
};

/** Splits bytes into chunks, as a network would deliver them. */
function chunked(bytes: Buffer, size = 1000): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) out.push(bytes.subarray(offset, offset + size));
  return out;
}

function serve(reply: MockReply) {
  return createMockTransport(() => reply);
}

describe('planDecoding', () => {
  it('undoes codings last-applied first, across field lines, skipping identity and empties', () => {
    expect(planDecoding(['gzip, identity', ' , br'], ['gzip', 'br'])).toEqual({
      kind: 'decode',
      steps: ['br', 'gzip'],
      applied: ['gzip', 'br'],
    });
  });
  it('treats x-gzip as gzip and is case-insensitive', () => {
    expect(planDecoding(['X-GZIP'], ['gzip'])).toMatchObject({ kind: 'decode', steps: ['gzip'] });
  });
  it('reports an unknown coding instead of guessing', () => {
    expect(planDecoding(['gzip, compress'], ['gzip'])).toMatchObject({
      kind: 'unsupported',
      coding: 'compress',
    });
  });
  it('refuses more than five codings', () => {
    expect(planDecoding(['gzip,gzip,gzip', 'gzip,gzip,gzip'], ['gzip']).kind).toBe('too-many');
    expect(planDecoding(['gzip,gzip,gzip', 'gzip,gzip'], ['gzip']).kind).toBe('decode');
  });
  it('has nothing to do for identity alone', () => {
    expect(planDecoding(['identity'], ['gzip']).kind).toBe('none');
  });
});

describe('withDecoding', () => {
  it.each(Object.keys(encoders))('decodes %s streamed in chunks and fixes the headers', async (coding) => {
    const coded = encoders[coding]!(plain);
    const transport = withDecoding(
      serve({
        headers: { 'Content-Encoding': coding, 'Content-Length': coded.length, 'Content-Type': 'text/plain' },
        body: chunked(coded),
      }),
    );
    const response = await transport.request(createRequest({ url: 'http://127.0.0.1/' }));
    expect(response.headers.has('content-encoding')).toBe(false);
    expect(response.headers.has('content-length')).toBe(false);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(response.meta.decoding).toEqual({ codings: [coding] });
    expect(await response.body.text()).toBe(text);
  });

  it('inflates raw DEFLATE sent as "deflate" (a common server mistake)', async () => {
    const transport = withDecoding(
      serve({ headers: { 'Content-Encoding': 'deflate' }, body: zlib.deflateRawSync(plain) }),
    );
    const response = await transport.request(createRequest({ url: 'http://h/' }));
    expect(await response.body.text()).toBe(text);
  });

  it('undoes stacked codings in reverse order of application', async () => {
    const coded = zlib.brotliCompressSync(zlib.gzipSync(plain));
    const transport = withDecoding(
      serve({
        headers: [
          ['Content-Encoding', 'gzip'],
          ['content-encoding', 'br'],
        ],
        body: coded,
      }),
    );
    const response = await transport.request(createRequest({ url: 'http://h/' }));
    expect(response.meta.decoding?.codings).toEqual(['gzip', 'br']);
    expect(await response.body.text()).toBe(text);
  });

  it('advertises its codings unless the caller chose, and decode:false opts out entirely', async () => {
    const coded = zlib.gzipSync(plain);
    const base = createMockTransport(() => ({ headers: { 'Content-Encoding': 'gzip' }, body: coded }));
    const transport = withDecoding(base);
    await (await transport.request(createRequest({ url: 'http://h/' }))).body.cancel();
    expect(base.requests[0]!.headers.get('accept-encoding')).toBe('zstd, br, gzip, deflate');
    await (
      await transport.request(createRequest({ url: 'http://h/', headers: { 'Accept-Encoding': 'gzip' } }))
    ).body.cancel();
    expect(base.requests[1]!.headers.get('accept-encoding')).toBe('gzip');
    const raw = await transport.request(createRequest({ url: 'http://h/', options: { decode: false } }));
    expect(base.requests[2]!.headers.has('accept-encoding')).toBe(false);
    expect(raw.headers.get('content-encoding')).toBe('gzip');
    expect(Buffer.from(await raw.body.bytes()).equals(coded)).toBe(true);
  });

  it('adds Accept-Encoding after the caller fields, keeping their order and casing', async () => {
    const base = createMockTransport(() => ({}));
    const request = createRequest({
      url: 'http://h/',
      headers: [
        ['X-A', '1'],
        ['x-b', '2'],
        ['X-A', '3'],
      ],
    });
    await withDecoding(base, { codings: ['gzip', 'br'] }).request(request);
    expect([...base.requests[0]!.headers]).toEqual([
      ['X-A', '1'],
      ['x-b', '2'],
      ['X-A', '3'],
      ['Accept-Encoding', 'gzip, br'],
    ]);
    expect(base.requests[0]!.headers.getAll('x-a')).toEqual(['1', '3']);
  });

  it('advertisedAcceptEncoding says what the layer adds, so a request can carry it up front', async () => {
    expect(advertisedAcceptEncoding()).toBe('zstd, br, gzip, deflate');
    expect(advertisedAcceptEncoding({ codings: ['br', 'gzip'] })).toBe('br, gzip');
    expect(advertisedAcceptEncoding({ codings: ['gzip\r\nX: 1' as 'gzip'] })).toBeNull();
    const base = createMockTransport(() => ({}));
    const transport = withDecoding(base, { codings: ['br', 'gzip'] });
    await transport.request(createRequest({ url: 'http://h/', headers: { 'X-A': '1' } }));
    const preset = createRequest({
      url: 'http://h/',
      headers: { 'X-A': '1', 'Accept-Encoding': 'br, gzip' },
    });
    await transport.request(preset);
    expect([...base.requests[1]!.headers]).toEqual([...base.requests[0]!.headers]);
    expect(base.requests[1]!.headers).toBe(preset.headers);
  });

  it('never sends a codings option that would put CR or LF on the wire (SECURITY.md rule 1)', async () => {
    const base = createMockTransport(() => ({}));
    const transport = withDecoding(base, { codings: ['gzip\r\nX-Injected: 1' as 'gzip'] });
    await expect(transport.request(createRequest({ url: 'http://h/' }))).rejects.toThrow(/CR/);
    expect(base.requests).toHaveLength(0);
  });

  it('does not mutate the caller request', async () => {
    const base = createMockTransport(() => ({}));
    const request = createRequest({ url: 'http://h/' });
    await withDecoding(base).request(request);
    expect(request.headers.has('accept-encoding')).toBe(false);
  });

  it('passes an unknown coding through untouched', async () => {
    const transport = withDecoding(serve({ headers: { 'Content-Encoding': 'compress' }, body: 'LZW bytes' }));
    const response = await transport.request(createRequest({ url: 'http://h/' }));
    expect(response.headers.get('content-encoding')).toBe('compress');
    expect(await response.body.text()).toBe('LZW bytes');
  });

  it.each([
    ['HEAD', 200],
    ['GET', 204],
    ['GET', 304],
    ['GET', 206],
  ])('leaves %s %i responses alone', async (method, status) => {
    const transport = withDecoding(
      serve({ status, headers: { 'Content-Encoding': 'gzip', 'Content-Length': '20' } }),
    );
    const response = await transport.request(createRequest({ method, url: 'http://h/' }));
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.meta.decoding).toBeUndefined();
  });

  it('decodes an empty coded body to an empty body', async () => {
    const transport = withDecoding(serve({ headers: { 'Content-Encoding': 'gzip' }, body: null }));
    expect(await (await transport.request(createRequest({ url: 'http://h/' }))).body.text()).toBe('');
  });

  it('fails a truncated coded body with DECODE_FAILED, never a short success', async () => {
    const coded = zlib.gzipSync(plain);
    const transport = withDecoding(
      serve({ headers: { 'Content-Encoding': 'gzip' }, body: coded.subarray(0, coded.length - 20) }),
    );
    const response = await transport.request(createRequest({ url: 'http://h/' }));
    const error = await failure(response.body.text());
    expect(error.code).toBe('DECODE_FAILED');
    expect(error.url).toBe('http://h/');
  });

  it('fails corrupt bytes with DECODE_FAILED', async () => {
    const transport = withDecoding(
      serve({ headers: { 'Content-Encoding': 'br' }, body: 'this is not brotli at all' }),
    );
    const response = await transport.request(createRequest({ url: 'http://h/' }));
    expect((await failure(response.body.bytes())).code).toBe('DECODE_FAILED');
  });

  it('refuses more than five codings before reading the body', async () => {
    const transport = withDecoding(
      serve({ headers: { 'Content-Encoding': 'gzip, gzip, gzip, gzip, gzip, gzip' }, body: 'x' }),
    );
    const error = await failure(transport.request(createRequest({ url: 'http://h/' })));
    expect(error.code).toBe('DECODE_FAILED');
    expect(error.details.codings).toHaveLength(6);
  });

  it('stops a decompression bomb at maxDecodedBytes with LIMIT_EXCEEDED', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const transport = withDecoding(
      serve({ headers: { 'Content-Encoding': 'gzip' }, body: chunked(bomb, 4096) }),
      {
        maxDecodedBytes: 4 * 1024 * 1024,
        maxRatio: 1_000_000,
      },
    );
    const response = await transport.request(createRequest({ url: 'http://h/' }));
    const error = await failure(response.body.bytes({ limit: 1024 * 1024 * 1024 }));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.details.limit).toBe('maxDecodedBytes');
  });

  it('stops a decompression bomb by ratio, per request too', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(16 * 1024 * 1024));
    const transport = withDecoding(
      serve({ headers: { 'Content-Encoding': 'gzip' }, body: chunked(bomb, 4096) }),
    );
    const response = await transport.request(
      createRequest({ url: 'http://h/', options: { decode: { maxRatio: 100, ratioGraceBytes: 64 * 1024 } } }),
    );
    const error = await failure(response.body.bytes());
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.details.limit).toBe('maxRatio');
  });

  it('decodes only as fast as the consumer reads', async () => {
    // Random bytes do not compress, so the coded body is as large as the decoded one.
    const coded = zlib.gzipSync(randomBytes(4 * 1024 * 1024));
    let pulled = 0;
    const transport = withDecoding(
      createMockTransport(() => ({
        headers: { 'Content-Encoding': 'gzip' },
        body: (async function* () {
          for (const chunk of chunked(coded, 256)) {
            pulled += chunk.byteLength;
            yield chunk;
          }
        })(),
      })),
    );
    const response = await transport.request(createRequest({ url: 'http://h/' }));
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pulled).toBeLessThan(coded.length / 8);
    await iterator.return?.();
  });

  it('delivers the inner trailers after the decoded body', async () => {
    const transport = withDecoding(
      serve({
        headers: { 'Content-Encoding': 'gzip' },
        body: chunked(zlib.gzipSync(plain)),
        trailers: { Digest: 'd' },
      }),
    );
    const response = await transport.request(createRequest({ url: 'http://h/' }));
    expect(await response.body.text()).toBe(text);
    expect((await response.trailers).get('digest')).toBe('d');
  });

  it('cancelling the decoded body cancels the transfer below it', async () => {
    const transport = withDecoding(
      serve({
        headers: { 'Content-Encoding': 'gzip' },
        body: chunked(zlib.gzipSync(randomBytes(1024 * 1024)), 1000),
        trailers: { T: '1' },
      }),
    );
    const response = await transport.request(createRequest({ url: 'http://h/' }));
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    await response.body.cancel('done');
    const error = await failure(response.trailers);
    expect(error.code).toBe('ABORTED');
  });
});

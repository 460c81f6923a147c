import zlib from 'node:zlib';
import { createMockTransport, createRequest, createResponse, type HttpTransport } from '@x/core';
import { failure } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { withDecoding } from '../src/index.js';

/**
 * SECURITY.md rules 4, 20 and 29 for the decoding layer: each test fails if
 * the protection it names is removed.
 */

// 16 MiB of zeros is a few dozen bytes of brotli: far past the default 1000:1 ratio.
const bomb = zlib.brotliCompressSync(Buffer.alloc(16 * 1024 * 1024));

function bombServer() {
  return createMockTransport(() => ({ headers: { 'Content-Encoding': 'br' }, body: bomb }));
}

const prototype = Object.prototype as Record<string, unknown>;

describe('decoding limits hold by default (rule 29)', () => {
  it('stops a bomb by the default ratio with no options at all', async () => {
    const response = await withDecoding(bombServer()).request(createRequest({ url: 'http://h/' }));
    const error = await failure(response.body.bytes());
    expect(error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'maxRatio' } });
  });

  it('ignores limits inherited from a polluted Object.prototype (rule 4)', async () => {
    const keys = ['maxDecodedBytes', 'maxRatio', 'ratioGraceBytes', 'decode'];
    prototype.maxDecodedBytes = Number.POSITIVE_INFINITY;
    prototype.maxRatio = Number.POSITIVE_INFINITY;
    prototype.ratioGraceBytes = Number.POSITIVE_INFINITY;
    prototype.decode = { maxRatio: Number.POSITIVE_INFINITY };
    try {
      const response = await withDecoding(bombServer(), {}).request(createRequest({ url: 'http://h/' }));
      const error = await failure(response.body.bytes());
      expect(error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'maxRatio' } });
    } finally {
      for (const key of keys) delete prototype[key];
    }
  });

  it('reads an undefined per-request limit as the default, not as no limit', async () => {
    const response = await withDecoding(bombServer()).request(
      createRequest({ url: 'http://h/', options: { decode: { maxRatio: undefined } } }),
    );
    const error = await failure(response.body.bytes());
    expect(error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'maxRatio' } });
  });

  it.each([
    ['NaN', Number.NaN],
    ['a negative number', -1],
    ['a string', '1000' as unknown as number],
  ])('refuses %s as a per-request limit before sending anything', async (_label, value) => {
    const inner = bombServer();
    const error = await failure(
      withDecoding(inner).request(
        createRequest({ url: 'http://h/', options: { decode: { maxDecodedBytes: value } } }),
      ),
    );
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', requestSent: false });
    expect(inner.requests).toHaveLength(0);
  });

  it('refuses NaN as a layer limit when the layer is built', () => {
    expect(() => withDecoding(bombServer(), { maxRatio: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST' }),
    );
  });
});

describe('the buffering cap applies after decoding (rule 20)', () => {
  it('keeps the bufferLimit of the body below', async () => {
    const coded = zlib.gzipSync(Buffer.alloc(8 * 1024, 0x61));
    const inner: HttpTransport = {
      request: async (request) =>
        createResponse({
          status: 200,
          url: request.url,
          headers: { 'Content-Encoding': 'gzip' },
          body: coded,
          bufferLimit: 1024,
        }),
      close: async () => undefined,
    };
    const response = await withDecoding(inner).request(createRequest({ url: 'http://h/' }));
    expect(response.body.bufferLimit).toBe(1024);
    const error = await failure(response.body.text());
    expect(error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'bufferLimit', max: 1024 } });
  });
});

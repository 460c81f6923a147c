import assert from 'node:assert/strict';
import { HttpClientError } from '@x/core';
import { echoed, readEcho } from '../assertions.js';
import type { CaseContext, ConformanceCase } from '../case.js';
import { BOMB_DECODED_BYTES, ENCODED_TEXT } from '../servers/routes.js';

const area = 'decoding';
const requires = ['http', 'decoding'] as const;

async function decodedText(context: CaseContext, codings: string): Promise<string> {
  const response = await context.send({ url: new URL(`/encoded?coding=${codings}`, context.servers.http) });
  return response.body.text();
}

/** The request or the body read must fail with an HttpClientError: a bad coding is never a short success. */
async function expectDecodeFailure(context: CaseContext, path: string): Promise<void> {
  let text: string;
  try {
    const response = await context.send({ url: new URL(path, context.servers.http) });
    text = await response.body.text();
  } catch (error) {
    assert.ok(HttpClientError.is(error), `failed with ${String(error)}, not an HttpClientError`);
    return;
  }
  assert.fail(`the body was delivered (${text.length} characters) instead of an error`);
}

export const decodingCases: readonly ConformanceCase[] = [
  {
    id: 'decode/accept-encoding',
    area,
    title: 'Accept-Encoding is sent and offers gzip (RFC 9110 §12.5.3)',
    requires,
    async run({ send, servers }) {
      const reply = await readEcho(await send({ url: new URL('/echo', servers.http) }));
      assert.match(echoed(reply, 'accept-encoding').join(', '), /\bgzip\b/);
    },
  },
  {
    id: 'decode/gzip',
    area,
    title: 'A gzip body is decoded',
    requires,
    async run(context) {
      assert.equal(await decodedText(context, 'gzip'), ENCODED_TEXT);
    },
  },
  {
    id: 'decode/deflate',
    area,
    title: 'A deflate (zlib) body is decoded',
    requires,
    async run(context) {
      assert.equal(await decodedText(context, 'deflate'), ENCODED_TEXT);
    },
  },
  {
    id: 'decode/br',
    area,
    title: 'A br body is decoded',
    requires,
    async run(context) {
      assert.equal(await decodedText(context, 'br'), ENCODED_TEXT);
    },
  },
  {
    id: 'decode/stacked',
    area,
    title: 'Stacked codings are undone last-applied first (RFC 9110 §8.4)',
    requires,
    async run(context) {
      assert.equal(await decodedText(context, 'deflate,gzip'), ENCODED_TEXT);
    },
  },
  {
    id: 'decode/too-many-codings',
    area,
    title: 'Six stacked codings are refused with a typed error (SECURITY.md §28)',
    requires,
    async run(context) {
      await expectDecodeFailure(context, '/encoded?coding=gzip,gzip,gzip,gzip,gzip,gzip');
    },
  },
  {
    id: 'decode/corrupt',
    area,
    title: 'A body that is not what its Content-Encoding says fails with a typed error',
    requires,
    async run(context) {
      await expectDecodeFailure(context, '/corrupt-gzip');
    },
  },
  {
    id: 'decode/bomb',
    area,
    title:
      'A decompression bomb (about 100 bytes of br that decode to 64 MiB) is LIMIT_EXCEEDED, not the body (SECURITY.md §29)',
    requires,
    async run({ send, servers }) {
      let delivered = 0;
      try {
        const response = await send({ url: new URL('/brotli-bomb', servers.http) });
        // Read chunk by chunk and drop them: a client without a cap would hand over all 64 MiB.
        for await (const chunk of response.body) delivered += chunk.byteLength;
      } catch (error) {
        assert.ok(HttpClientError.is(error), `failed with ${String(error)}, not an HttpClientError`);
        assert.equal(error.code, 'LIMIT_EXCEEDED');
        assert.ok(delivered < BOMB_DECODED_BYTES, 'the cap stopped the body before its end');
        return;
      }
      assert.fail(`the whole decoded body was delivered (${delivered} bytes) instead of an error`);
    },
  },
  {
    id: 'decode/head',
    area,
    title: 'HEAD with Content-Encoding: an empty body, no decoding error',
    requires,
    async run({ send, servers }) {
      const response = await send({ method: 'HEAD', url: new URL('/encoded?coding=gzip', servers.http) });
      assert.equal(response.status, 200);
      assert.equal((await response.body.bytes()).byteLength, 0);
    },
  },
];

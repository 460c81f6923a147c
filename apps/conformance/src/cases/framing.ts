import assert from 'node:assert/strict';
import type { HttpResponse } from '@x/core';
import { checkError, expectBodyError, expectHttpError } from '../assertions.js';
import type { ConformanceCase } from '../case.js';

const area = 'framing';
const requires = ['http', 'strict-framing'] as const;

export const framingCases: readonly ConformanceCase[] = [
  {
    id: 'framing/truncated-length',
    area,
    title: 'EOF before Content-Length bytes: the body read fails (RFC 9112 §6.3, SECURITY.md §12)',
    requires,
    async run({ send, servers }) {
      const response = await send({ url: new URL('/truncated-length', servers.raw) });
      await expectBodyError(response, { code: ['CONNECTION_CLOSED', 'PROTOCOL_ERROR'] });
    },
  },
  {
    id: 'framing/truncated-chunked',
    area,
    title: 'EOF before the last chunk: the body read fails (RFC 9112 §7.1)',
    requires,
    async run({ send, servers }) {
      const response = await send({ url: new URL('/truncated-chunked', servers.raw) });
      await expectBodyError(response, { code: ['CONNECTION_CLOSED', 'PROTOCOL_ERROR'] });
    },
  },
  {
    id: 'framing/bad-status-line',
    area,
    title: 'A malformed status line: PROTOCOL_ERROR (SECURITY.md §8)',
    requires,
    async run({ send, servers }) {
      await expectHttpError(send({ url: new URL('/bad-status-line', servers.raw) }), {
        code: 'PROTOCOL_ERROR',
      });
    },
  },
  {
    id: 'framing/bad-chunk-size',
    area,
    title: 'A chunk size that is not hex: PROTOCOL_ERROR (SECURITY.md §7)',
    requires,
    async run({ send, servers }) {
      // The head is valid, so the error may come with the head or on the body read.
      let response: HttpResponse;
      try {
        response = await send({ url: new URL('/bad-chunk-size', servers.raw) });
      } catch (error) {
        checkError(error, { code: 'PROTOCOL_ERROR' });
        return;
      }
      await expectBodyError(response, { code: 'PROTOCOL_ERROR' });
    },
  },
  {
    id: 'framing/conflicting-length',
    area,
    title: 'Two different Content-Length values: PROTOCOL_ERROR (RFC 9112 §6.3, SECURITY.md §6)',
    requires,
    async run({ send, servers }) {
      await expectHttpError(send({ url: new URL('/conflicting-length', servers.raw) }), {
        code: 'PROTOCOL_ERROR',
      });
    },
  },
  {
    id: 'framing/space-before-colon',
    area,
    title: 'Whitespace between field name and colon: PROTOCOL_ERROR (RFC 9112 §5.1)',
    requires,
    async run({ send, servers }) {
      await expectHttpError(send({ url: new URL('/space-before-colon', servers.raw) }), {
        code: 'PROTOCOL_ERROR',
      });
    },
  },
  {
    id: 'framing/huge-header',
    area,
    title: 'A 2 MiB header field: LIMIT_EXCEEDED, never buffered without bound (SECURITY.md §9)',
    requires,
    async run({ send, servers }) {
      await expectHttpError(send({ url: new URL('/huge-header', servers.raw) }), { code: 'LIMIT_EXCEEDED' });
    },
  },
  {
    id: 'framing/http10-until-close',
    area,
    title: 'HTTP/1.0 without framing: the body runs to the close; httpVersion "1.0"',
    requires,
    async run({ send, servers }) {
      const response = await send({ url: new URL('/http10-until-close', servers.raw) });
      assert.equal(response.httpVersion, '1.0');
      assert.equal(await response.body.text(), 'body until close');
    },
  },
  {
    id: 'framing/bytes-after-response',
    area,
    title: 'Bytes after a complete response are never read as the next response (SECURITY.md §10)',
    requires,
    async run({ send, servers }) {
      const first = await send({ url: new URL('/bytes-after-response', servers.raw) });
      assert.equal(await first.body.text(), 'first', 'the complete response is still delivered');
      const second = await send({ url: new URL('/connection-id', servers.raw) });
      const text = await second.body.text();
      assert.ok(text.startsWith('fresh'), `the second request got ${JSON.stringify(text)}`);
    },
  },
];

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { streamBody } from '@x/core';
import { echoed, expectHttpError, readEcho } from '../assertions.js';
import type { ConformanceCase } from '../case.js';
import { patternChunk } from '../servers/pattern.js';

const area = 'methods-and-bodies';

async function* slowChunks(parts: readonly string[]): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for (const part of parts) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    yield encoder.encode(part);
  }
}

export const methodsAndBodiesCases: readonly ConformanceCase[] = [
  {
    id: 'methods/as-given',
    area,
    title: 'Each standard method reaches the server as given (RFC 9110 §9)',
    requires: ['http'],
    async run({ send, servers }) {
      // Only methods node:http's server parses: an extension method would be refused by the server, not the client.
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
        const reply = await readEcho(await send({ method, url: new URL('/echo', servers.http) }));
        assert.equal(reply.method, method);
      }
    },
  },
  {
    id: 'methods/get-without-framing',
    area,
    title: 'A bodiless GET sends neither Content-Length nor Transfer-Encoding (RFC 9110 §8.6)',
    requires: ['http', 'wire'],
    async run({ send, servers }) {
      const reply = await readEcho(await send({ url: new URL('/echo', servers.http) }));
      assert.deepEqual(echoed(reply, 'content-length'), []);
      assert.deepEqual(echoed(reply, 'transfer-encoding'), []);
    },
  },
  {
    id: 'methods/host-header',
    area,
    title: 'Host is sent once and equals the URL authority (RFC 9112 §3.2)',
    requires: ['http', 'wire'],
    async run({ send, servers }) {
      const url = new URL('/echo', servers.http);
      const reply = await readEcho(await send({ url }));
      assert.deepEqual(echoed(reply, 'host'), [url.host]);
    },
  },
  {
    id: 'bodies/fixed',
    area,
    title: 'A fixed request body arrives intact',
    requires: ['http'],
    async run({ send, servers }) {
      const reply = await readEcho(
        await send({ method: 'POST', url: new URL('/echo', servers.http), body: 'hello, body' }),
      );
      assert.equal(reply.body, 'hello, body');
    },
  },
  {
    id: 'bodies/fixed-framing',
    area,
    title: 'A fixed body is framed by Content-Length, not chunked',
    requires: ['http', 'wire'],
    async run({ send, servers }) {
      const reply = await readEcho(
        await send({ method: 'PUT', url: new URL('/echo', servers.http), body: 'twelve bytes' }),
      );
      assert.deepEqual(echoed(reply, 'content-length'), ['12']);
      assert.equal(reply.chunked, false);
    },
  },
  {
    id: 'bodies/empty',
    area,
    title: 'An empty POST body is sent as Content-Length: 0 (RFC 9110 §8.6)',
    requires: ['http', 'wire'],
    async run({ send, servers }) {
      const reply = await readEcho(
        await send({ method: 'POST', url: new URL('/echo', servers.http), body: new Uint8Array(0) }),
      );
      assert.equal(reply.bodyLength, 0);
      assert.deepEqual(echoed(reply, 'content-length'), ['0']);
    },
  },
  {
    id: 'bodies/streamed',
    area,
    title: 'A one-shot body of unknown length arrives intact, sent chunked',
    requires: ['http', 'streamed-request-body'],
    async run({ send, servers }) {
      const body = streamBody(slowChunks(['one;', 'two;', 'three;']));
      const reply = await readEcho(await send({ method: 'POST', url: new URL('/echo', servers.http), body }));
      assert.equal(reply.body, 'one;two;three;');
    },
  },
  {
    id: 'bodies/streamed-framing',
    area,
    title: 'A streamed body of unknown length uses chunked coding; of known length, Content-Length',
    requires: ['http', 'wire', 'streamed-request-body'],
    async run({ send, servers }) {
      const url = new URL('/echo', servers.http);
      const unknown = await readEcho(
        await send({ method: 'POST', url, body: streamBody(slowChunks(['a', 'b'])) }),
      );
      assert.equal(unknown.chunked, true, 'unknown length must be sent chunked');
      const known = await readEcho(
        await send({ method: 'POST', url, body: streamBody(slowChunks(['abc', 'de']), 5) }),
      );
      assert.equal(known.chunked, false, 'known length must not be chunked');
      assert.deepEqual(echoed(known, 'content-length'), ['5']);
      assert.equal(known.body, 'abcde');
    },
  },
  {
    id: 'bodies/large-upload',
    area,
    title: 'A 4 MiB request body arrives byte for byte',
    requires: ['http'],
    async run({ send, servers }) {
      const bytes = patternChunk(0, 4 * 1024 * 1024);
      const reply = await readEcho(
        await send({ method: 'POST', url: new URL('/echo', servers.http), body: bytes }),
      );
      assert.equal(reply.bodyLength, bytes.byteLength);
      assert.equal(reply.bodySha256, createHash('sha256').update(bytes).digest('hex'));
    },
  },
  {
    id: 'bodies/request-trailers',
    area,
    title:
      'Request trailers follow a chunked body and reach the server apart from the headers (RFC 9112 §7.1.2)',
    requires: ['http', 'wire', 'request-trailers'],
    async run({ send, servers }) {
      const reply = await readEcho(
        await send({
          method: 'POST',
          url: new URL('/echo', servers.http),
          body: streamBody(slowChunks(['part one;', 'part two;'])),
          options: {
            http1: {
              trailers: [
                ['X-Checksum', 'abc123'],
                ['X-Items', '2'],
              ],
            },
          },
        }),
      );
      assert.equal(reply.body, 'part one;part two;');
      assert.equal(reply.chunked, true, 'trailers need chunked coding');
      assert.deepEqual(reply.trailers, [
        ['X-Checksum', 'abc123'],
        ['X-Items', '2'],
      ]);
      assert.equal(echoed(reply, 'x-checksum').length, 0, 'a trailer is not also a header');
    },
  },
  {
    id: 'bodies/request-trailers-after-body',
    area,
    title: 'Trailers from a function are computed after the whole body was read (a digest of what was sent)',
    requires: ['http', 'wire', 'request-trailers'],
    async run({ send, servers }) {
      const hash = createHash('sha256');
      async function* hashed(): AsyncGenerator<Uint8Array> {
        for await (const chunk of slowChunks(['alpha;', 'beta;', 'gamma;'])) {
          hash.update(chunk);
          yield chunk;
        }
      }
      const reply = await readEcho(
        await send({
          method: 'PUT',
          url: new URL('/echo', servers.http),
          body: streamBody(hashed()),
          options: { http1: { trailers: () => [['X-Body-Sha256', hash.digest('hex')]] } },
        }),
      );
      assert.equal(reply.body, 'alpha;beta;gamma;');
      assert.deepEqual(reply.trailers, [['X-Body-Sha256', reply.bodySha256]]);
    },
  },
  {
    id: 'bodies/request-trailers-forbidden',
    area,
    title: 'A framing or credential field as a request trailer is INVALID_REQUEST (RFC 9110 §6.5.1)',
    requires: ['http', 'wire', 'request-trailers'],
    async run({ send, servers }) {
      for (const name of ['Content-Length', 'Authorization', 'Host']) {
        await expectHttpError(
          send({
            method: 'POST',
            url: new URL('/echo', servers.http),
            body: streamBody(slowChunks(['x'])),
            options: { http1: { trailers: [[name, '1']] } },
          }),
          { code: 'INVALID_REQUEST' },
        );
      }
      // The half-sent request poisoned nothing: the next one on the same transport works.
      const reply = await readEcho(await send({ url: new URL('/echo', servers.http) }));
      assert.equal(reply.method, 'GET');
    },
  },
];

import assert from 'node:assert/strict';
import { checkError, pause } from '../assertions.js';
import type { ConformanceCase } from '../case.js';
import { patternMismatch } from '../servers/pattern.js';

const area = 'response-bodies';
const LARGE = 8 * 1024 * 1024;

/** Reads a pattern body chunk by chunk (never buffered) and checks every byte. */
async function checkPatternBody(body: AsyncIterable<Uint8Array>, size: number): Promise<void> {
  let offset = 0;
  for await (const chunk of body) {
    const bad = patternMismatch(chunk, offset);
    assert.equal(bad, -1, `byte ${bad} differs from the pattern`);
    offset += chunk.byteLength;
  }
  assert.equal(offset, size, `received ${offset} of ${size} bytes`);
}

export const responseBodyCases: readonly ConformanceCase[] = [
  {
    id: 'bodies/head-before-body-ends',
    area,
    title: 'The head and the first bytes are delivered while the server is still sending',
    requires: ['http', 'streamed-response-body'],
    async run({ send, servers }) {
      // The server sends its head and a few bytes, then stalls: nothing here may wait for the end.
      const response = await send({ url: new URL('/hang-body', servers.http) });
      assert.equal(response.status, 200);
      const iterator = response.body[Symbol.asyncIterator]();
      const first = await iterator.next();
      assert.equal(first.done, false);
      assert.ok(new TextDecoder().decode(first.value).startsWith('first'));
      await iterator.return?.();
    },
  },
  {
    id: 'bodies/slow-consumer',
    area,
    title: 'A consumer that reads slowly gets every chunk of a streamed body, in order',
    requires: ['http', 'streamed-response-body'],
    async run({ send, servers, signal }) {
      const response = await send({ url: new URL('/stream?chunks=8&delay=10', servers.http) });
      let text = '';
      const decoder = new TextDecoder();
      for await (const chunk of response.body) {
        text += decoder.decode(chunk, { stream: true });
        await pause(25, signal);
      }
      assert.equal(text, Array.from({ length: 8 }, (_, index) => `chunk ${index};`).join(''));
    },
  },
  {
    id: 'bodies/trailers',
    area,
    title: 'Trailers of a chunked body arrive after it, apart from the headers (RFC 9112 §7.1.2)',
    requires: ['http', 'trailers'],
    async run({ send, servers }) {
      const response = await send({ url: new URL('/trailers', servers.http) });
      assert.equal(await response.body.text(), 'part one;part two;');
      const trailers = await response.trailers;
      assert.equal(trailers.get('x-checksum'), 'abc123');
      assert.equal(trailers.get('X-Trailer-Two'), 'two');
      assert.equal(response.headers.get('x-checksum'), null, 'a trailer must not be merged into the headers');
    },
  },
  {
    id: 'bodies/empty-trailers',
    area,
    title: 'trailers resolves to an empty list when the response had none',
    requires: ['http'],
    async run({ send, servers }) {
      const response = await send({ url: new URL('/status/200', servers.http) });
      await response.body.text();
      const trailers = await response.trailers;
      assert.equal(trailers.size, 0);
    },
  },
  {
    id: 'bodies/large-fixed',
    area,
    title: 'An 8 MiB Content-Length body streams intact, every byte checked',
    requires: ['http'],
    timeLimit: 15_000,
    async run({ send, servers }) {
      const response = await send({ url: new URL(`/large?size=${LARGE}`, servers.http) });
      assert.equal(response.headers.get('content-length'), String(LARGE));
      await checkPatternBody(response.body, LARGE);
    },
  },
  {
    id: 'bodies/large-chunked',
    area,
    title: 'An 8 MiB chunked body streams intact, every byte checked',
    requires: ['http'],
    timeLimit: 15_000,
    async run({ send, servers }) {
      const response = await send({ url: new URL(`/large?size=${LARGE}&chunked=1`, servers.http) });
      await checkPatternBody(response.body, LARGE);
    },
  },
  {
    id: 'bodies/views-fixed-and-chunked',
    area,
    title:
      'views() yields every byte of 8 MiB fixed and chunked bodies, each view intact until the next read, ' +
      'and the connection serves the next request',
    requires: ['http'],
    timeLimit: 20_000,
    async run({ send, servers, signal }) {
      for (const query of [`size=${LARGE}`, `size=${LARGE}&chunked=1`]) {
        const response = await send({ url: new URL(`/large?${query}`, servers.http) });
        let offset = 0;
        let index = 0;
        for await (const view of response.body.views()) {
          // A lending transport may reuse the buffer only after the next read: hold some views
          // across a pause (more bytes arrive meanwhile) and check them again afterwards.
          const hold = index++ % 16 === 0;
          if (hold) await pause(2, signal);
          const bad = patternMismatch(view, offset);
          assert.equal(
            bad,
            -1,
            `${query}: byte ${offset + bad} differs from the pattern${hold ? ' after a pause' : ''}`,
          );
          offset += view.byteLength;
        }
        assert.equal(offset, LARGE, `${query}: received ${offset} of ${LARGE} bytes`);
      }
      const next = await send({ url: new URL('/status/200', servers.http) });
      assert.equal(await next.body.text(), 'status 200');
    },
  },
  {
    id: 'bodies/views-early-exit',
    area,
    title: 'Leaving a views() loop early cancels the body and frees the transport for the next request',
    requires: ['http'],
    async run({ send, servers }) {
      const response = await send({ url: new URL(`/large?size=${LARGE}`, servers.http) });
      for await (const view of response.body.views()) {
        assert.equal(patternMismatch(view, 0), -1);
        break;
      }
      assert.equal(response.body.used, true);
      const next = await send({ url: new URL('/status/200', servers.http) });
      assert.equal(await next.body.text(), 'status 200');
    },
  },
  {
    id: 'bodies/cancel-mid-body',
    area,
    title: 'Cancelling a body part-way frees the transport for the next request',
    requires: ['http'],
    async run({ send, servers }) {
      const response = await send({ url: new URL(`/large?size=${LARGE}`, servers.http) });
      const iterator = response.body[Symbol.asyncIterator]();
      await iterator.next();
      await response.body.cancel();
      const next = await send({ url: new URL('/status/200', servers.http) });
      assert.equal(await next.body.text(), 'status 200');
    },
  },
  {
    id: 'bodies/single-consumer',
    area,
    title: 'A body is read once; a second read is BODY_CONSUMED',
    requires: ['http'],
    async run({ send, servers }) {
      const response = await send({ url: new URL('/status/200', servers.http) });
      assert.equal(await response.body.text(), 'status 200');
      try {
        await response.body.text();
      } catch (error) {
        checkError(error, { code: 'BODY_CONSUMED' }, 'the second read');
        return;
      }
      assert.fail('a second read of the body succeeded');
    },
  },
  {
    id: 'bodies/backpressure',
    area,
    title: 'A consumer that stops reading stops the server: a 64 MiB body is not buffered (SECURITY.md §19)',
    requires: ['http', 'streamed-response-body'],
    async run({ send, servers, signal }) {
      const size = 64 * 1024 * 1024;
      const target = `/large?size=${size}&case=backpressure`;
      const response = await send({ url: new URL(target, servers.http) });
      const iterator = response.body[Symbol.asyncIterator]();
      await iterator.next();
      // Give an eager transport time to pull far ahead; a pull-based one cannot.
      await pause(300, signal);
      const produced = servers.state.hits.get(`produced:${target}`) ?? 0;
      await iterator.return?.();
      // Socket buffers on both sides hold a few MiB at most; 16 MiB means nobody waited for the reader.
      assert.ok(
        produced < 16 * 1024 * 1024,
        `the server produced ${produced} bytes while the consumer read one chunk`,
      );
    },
  },
];

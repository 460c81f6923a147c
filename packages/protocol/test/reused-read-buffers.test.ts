import { createRequest, type HttpResponse } from '@x/core';
import { describe, expect, it } from 'vitest';
import { Http1Connection } from '../src/index.js';
import { HookedSocket } from './support/hooked-socket.js';

// Reads into reused buffers (socket-reads.ts) must never let a buffer be read
// into while bytes of it are still in use: not by the parser (partial lines,
// chunk-size lines, trailers carried across reads), not by an ordinary
// consumer (its chunks are its own), and not by a borrowing one (a view is
// valid until it asks for the next). Every read here first fills its buffer
// with 0xEE, so any byte kept too long shows up in the body or trailers.

const CHUNKED =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n' +
  '5;name=value\r\nhello\r\n' +
  '1a\r\n abcdefghijklmnopqrstuvwxy\r\n' +
  '3\r\nxyz\r\n' +
  '0\r\nX-Checksum: 5d41402abc4b2a76\r\nX-Done: yes\r\n\r\n';
const CHUNKED_BODY = 'hello abcdefghijklmnopqrstuvwxyxyz';
const CHUNKED_TRAILERS = [
  ['X-Checksum', '5d41402abc4b2a76'],
  ['X-Done', 'yes'],
];
const LENGTH = 'HTTP/1.1 200 OK\r\nContent-Length: 21\r\n\r\nsecond response body!';

type Mode = 'views' | 'owned';

/** Reads a body as the mode says; a borrowing reader lets a turn pass before copying each view. */
async function readBody(response: HttpResponse, mode: Mode): Promise<string> {
  const parts: Uint8Array[] = [];
  if (mode === 'views') {
    for await (const view of response.body.views()) {
      // Other reads may land meanwhile: the view must still hold its bytes.
      await new Promise((resolve) => setImmediate(resolve));
      parts.push(Buffer.from(view));
    }
  } else {
    // Owned chunks are kept as they are and only looked at once every read happened.
    for await (const chunk of response.body) parts.push(chunk);
  }
  return Buffer.concat(parts).toString('latin1');
}

const setups = [
  { bufferSize: 4096, readSize: Number.POSITIVE_INFINITY },
  { bufferSize: 16, readSize: 7 },
];

describe('reused read buffers: a response split anywhere', () => {
  for (const mode of ['views', 'owned'] as const) {
    for (const { bufferSize, readSize } of setups) {
      it(`chunked body and trailers, every split point, ${mode}, ${bufferSize}-byte buffers, reads of ≤ ${readSize}`, async () => {
        const wire = Buffer.from(CHUNKED, 'latin1');
        for (let split = 1; split < wire.length; split++) {
          const socket = new HookedSocket(bufferSize);
          const connection = new Http1Connection(socket);
          const pending = connection.request(createRequest({ url: 'http://origin.test/' }));
          const delivered = (async () => {
            await socket.deliver(wire.subarray(0, split), readSize);
            await socket.deliver(wire.subarray(split), readSize);
          })();
          const response = await pending;
          const body = await readBody(response, mode);
          await delivered;
          expect(body, `split ${split}`).toBe(CHUNKED_BODY);
          expect([...(await response.trailers)], `split ${split}`).toEqual(CHUNKED_TRAILERS);
          expect(connection.idle, `split ${split}`).toBe(true);
          connection.destroy();
        }
      });
    }
  }

  it('two pipelined responses arriving together, first read through views, second owned, every split point', async () => {
    const wire = Buffer.from(CHUNKED + LENGTH, 'latin1');
    for (let split = 1; split < wire.length; split++) {
      const socket = new HookedSocket(16);
      const connection = new Http1Connection(socket, { maxPipelined: 2 });
      const first = connection.request(createRequest({ url: 'http://origin.test/1' }));
      const second = connection.request(createRequest({ url: 'http://origin.test/2' }));
      const delivered = (async () => {
        await socket.deliver(wire.subarray(0, split), 7);
        await socket.deliver(wire.subarray(split), 7);
      })();
      expect(await readBody(await first, 'views'), `split ${split}`).toBe(CHUNKED_BODY);
      expect(await readBody(await second, 'owned'), `split ${split}`).toBe('second response body!');
      await delivered;
      connection.destroy();
    }
  });
});

describe('reused read buffers: what is lent', () => {
  it('a borrowing body reads into three lent buffers however long it is, even behind a slow consumer', async () => {
    const body = Buffer.alloc(64 * 1024);
    for (let index = 0; index < body.length; index++) body[index] = index % 251;
    const head = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`, 'latin1');
    const socket = new HookedSocket(1024);
    const connection = new Http1Connection(socket);
    const pending = connection.request(createRequest({ url: 'http://origin.test/' }));
    const delivered = socket.deliver(Buffer.concat([head, body]), 1024);
    const response = await pending;
    let offset = 0;
    let views = 0;
    for await (const view of response.body.views()) {
      views++;
      if (views % 8 === 0) {
        // A slow consumer: reads may continue into the other buffers, never into this view's.
        for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
      }
      expect(Buffer.compare(view, body.subarray(offset, offset + view.byteLength))).toBe(0);
      offset += view.byteLength;
    }
    await delivered;
    expect(offset).toBe(body.length);
    expect(views).toBeGreaterThan(60);
    // The first read (head and body start) landed in the shared buffer, the next in one armed before
    // the consumer asked for views, and every later one in one of three lent buffers (two pinned
    // behind the slow consumer, one armed), made once: not one per read, nor one per slowdown.
    const distinct = new Set(socket.readBuffers.map((buffer) => buffer.buffer));
    expect(socket.readBuffers.length).toBeGreaterThan(60);
    expect(distinct.size).toBeLessThanOrEqual(5);
    expect(connection.idle).toBe(true);
    connection.destroy();
  });

  it('an ordinary body keeps every chunk intact after later reads (small reads copied, large ones given away)', async () => {
    const socket = new HookedSocket(1024);
    const connection = new Http1Connection(socket);
    const pending = connection.request(createRequest({ url: 'http://origin.test/' }));
    const body = Buffer.alloc(300_000);
    for (let index = 0; index < body.length; index++) body[index] = (index * 7) % 256;
    const wire = Buffer.concat([
      Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`, 'latin1'),
      body,
    ]);
    const delivered = (async () => {
      // Small reads first (copied), then large ones (the buffer handed over), then small again.
      await socket.deliver(wire.subarray(0, 5000), 100);
      await socket.deliver(wire.subarray(5000, 250_000));
      await socket.deliver(wire.subarray(250_000), 333);
    })();
    const response = await pending;
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    await delivered;
    expect(Buffer.compare(Buffer.concat(chunks), body)).toBe(0);
    // No kept chunk holds a buffer more than twice its size (a trickle cannot pin 64 KiB per byte).
    for (const chunk of chunks) expect(chunk.buffer.byteLength).toBeLessThanOrEqual(2 * 64 * 1024);
    const small = chunks.filter((chunk) => chunk.byteLength <= 333);
    expect(small.length).toBeGreaterThan(0);
    for (const chunk of small) expect(chunk.buffer.byteLength).toBeLessThanOrEqual(2 * chunk.byteLength);
    connection.destroy();
  });

  it('gives lent buffers back when the consumer cancels, and the drained connection reads the next response', async () => {
    const socket = new HookedSocket(64);
    const connection = new Http1Connection(socket);
    const body = 'z'.repeat(4000);
    const first = connection.request(createRequest({ url: 'http://origin.test/1' }));
    const delivered = socket.deliver(
      Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`, 'latin1'),
      50,
    );
    const response = await first;
    let seen = 0;
    for await (const view of response.body.views()) {
      seen += view.byteLength;
      if (seen > 200) break; // cancels: the rest (under drainOnCancel's 64 KiB) is drained
    }
    await delivered;
    await expect(response.trailers).rejects.toMatchObject({ code: 'ABORTED' });
    expect(socket.reads.pinnedCount()).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(connection.idle).toBe(true);
    const second = connection.request(createRequest({ url: 'http://origin.test/2' }));
    const more = socket.deliver(Buffer.from(LENGTH, 'latin1'), 9);
    expect(await readBody(await second, 'views')).toBe('second response body!');
    await more;
    connection.destroy();
  });
});

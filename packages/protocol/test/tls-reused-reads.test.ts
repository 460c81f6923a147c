import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { connectTargetFor, createRequest, HttpClientError, type HttpResponse } from '@x/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Http1Connection, type TlsConnectorOptions, tlsConnector } from '../src/index.js';
import { socketReadsOf } from '../src/socket-reads.js';
import {
  checkPattern,
  type TlsAnswer,
  type TlsOrigin,
  tlsOrigin,
  writePattern,
} from './support/tls-origin.js';

// tlsConnector dials with `tls.connect({ onread })`, so decrypted bytes land
// in reused buffers (socket-reads.ts) as over plain TCP. Over real TLS on
// loopback, where every read is at most one 16 KiB record: the bytes really
// go through onread, bodies arrive intact whatever the record boundaries,
// views survive pauses, and cancel, abort, close_notify and a reset mid-body
// end in a typed error with no socket left open on either side.

const CHUNKED_WIRE =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '4;ext=1\r\nwxyz\r\n' +
  '11\r\n0123456789abcdefg\r\n' +
  '2\r\n!?\r\n' +
  '0\r\nX-Sum: 9f86d081\r\nX-End: 1\r\n\r\n';
const CHUNKED_BODY = 'wxyz0123456789abcdefg!?';
const CHUNKED_TRAILERS = [
  ['X-Sum', '9f86d081'],
  ['X-End', '1'],
];
const SHORT_WIRE = 'HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nshort answer';

/**
 * /bytes/N: N pattern bytes. /stall/N: announces 2N bytes, sends N, then
 * waits for the test. /split/K: CHUNKED_WIRE as two TLS records, cut at byte
 * K. /pair-a/K then /pair-b/K (pipelined): both answers in two records cut at K.
 */
const answer: TlsAnswer = (socket, target) => {
  const [, kind, count] = target.split('/');
  const number = Number(count ?? 0);
  if (kind === 'bytes' || kind === 'stall') {
    const length = kind === 'bytes' ? number : 2 * number;
    socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${length}\r\n\r\n`);
    writePattern(socket, 0, number);
  } else if (kind === 'split') {
    writeInTwo(socket, Buffer.from(CHUNKED_WIRE, 'latin1'), number);
  } else if (kind === 'pair-b') {
    writeInTwo(socket, Buffer.from(CHUNKED_WIRE + SHORT_WIRE, 'latin1'), number);
  }
};

/** Two writes, a turn apart: two TLS records, so two reads on the client cut at `at`. */
function writeInTwo(socket: TLSSocket, wire: Buffer, at: number): void {
  socket.write(wire.subarray(0, at));
  setImmediate(() => socket.write(wire.subarray(at)));
}

let origin: TlsOrigin;
const opened: Duplex[] = [];

afterEach(async () => {
  for (const socket of opened.splice(0)) socket.destroy();
  await origin?.close();
});

async function connect(options: TlsConnectorOptions = {}): Promise<Duplex> {
  const socket = await tlsConnector({ ca: origin.ca, ...options })(connectTargetFor(new URL(origin.url)), {});
  opened.push(socket);
  return socket;
}

const get = (path: string, signal?: AbortSignal) => createRequest({ url: `${origin.url}${path}`, signal });

/**
 * Counts the bytes the connection receives through the socket's read hook.
 * Throws when there is none: a socket read with `'data'` events has no hook.
 */
function countHookedReads(socket: Duplex): { bytes: number } {
  const hook = socketReadsOf(socket);
  if (hook === null) throw new Error('the socket has no read hook');
  const counted = { bytes: 0 };
  const attach = hook.attach.bind(hook);
  hook.attach = (sink) =>
    attach({
      onRead: (bytes, isPrivate) => {
        counted.bytes += bytes.length;
        sink.onRead(bytes, isPrivate);
      },
      nextRead: () => sink.nextRead(),
    });
  return counted;
}

async function readViews(response: HttpResponse): Promise<{ bytes: number; buffers: Set<ArrayBufferLike> }> {
  let offset = 0;
  const buffers = new Set<ArrayBufferLike>();
  for await (const view of response.body.views()) {
    buffers.add(view.buffer);
    offset = checkPattern(view, offset);
  }
  return { bytes: offset, buffers };
}

/** The whole body as text, through views (each copied a turn later) or as owned chunks (checked at the end). */
async function bodyText(response: HttpResponse, mode: 'views' | 'owned'): Promise<string> {
  const parts: Uint8Array[] = [];
  if (mode === 'owned') {
    for await (const chunk of response.body) parts.push(chunk);
  } else {
    for await (const view of response.body.views()) {
      await new Promise((resolve) => setImmediate(resolve));
      parts.push(Buffer.from(view));
    }
  }
  return Buffer.concat(parts).toString('latin1');
}

/** Reads a /stall body's first view, then lets `interrupt` act; resolves with what the next read did. */
async function interruptAfterFirstView(
  connection: Http1Connection,
  interrupt: () => void,
  signal?: AbortSignal,
) {
  const response = await connection.request(get('/stall/100000', signal));
  const views = response.body.views();
  const first = await views.next();
  expect(first.done).toBe(false);
  interrupt();
  const failure = await (async () => {
    for (let next = await views.next(); !next.done; next = await views.next());
  })().then(
    () => null,
    (error: unknown) => error,
  );
  return failure;
}

describe('tlsConnector reads decrypted bytes into reused buffers', () => {
  it('every body byte goes through onread, views of 8 MiB share a handful of buffers, and the connection is reused', async () => {
    origin = await tlsOrigin(answer);
    const socket = await connect();
    const counted = countHookedReads(socket);
    expect(socket.listenerCount('data')).toBe(0);
    const connection = new Http1Connection(socket);
    const size = 8 * 1024 * 1024;
    const first = await readViews(await connection.request(get(`/bytes/${size}`)));
    expect(first.bytes).toBe(size);
    expect(counted.bytes).toBeGreaterThan(size);
    // Over 500 reads of at most one TLS record each; through 'data' every one would be its own buffer.
    expect(first.buffers.size).toBeLessThanOrEqual(8);
    expect(connection.idle).toBe(true);
    const second = await readViews(await connection.request(get('/bytes/300000')));
    expect(second.bytes).toBe(300_000);
    expect(counted.bytes).toBeGreaterThan(size + 300_000);
    expect(connection.requestCount).toBe(2);
    expect(origin.accepted).toBe(1);
    await connection.close();
    await origin.allClosed();
  });

  for (const mode of ['views', 'owned'] as const) {
    it(`a chunked body and trailers cut into two records at every byte, ${mode}, all on one kept-alive connection`, async () => {
      origin = await tlsOrigin(answer);
      const connection = new Http1Connection(await connect({ readBufferSize: 4096 }));
      for (let split = 1; split < CHUNKED_WIRE.length; split++) {
        const response = await connection.request(get(`/split/${split}`));
        expect(await bodyText(response, mode), `split ${split}`).toBe(CHUNKED_BODY);
        expect([...(await response.trailers)], `split ${split}`).toEqual(CHUNKED_TRAILERS);
      }
      expect(connection.requestCount).toBe(CHUNKED_WIRE.length - 1);
      expect(origin.accepted).toBe(1);
      await connection.close();
    });
  }

  it('two pipelined responses cut at every byte, the first through views, the second owned', async () => {
    origin = await tlsOrigin(answer);
    const connection = new Http1Connection(await connect({ readBufferSize: 4096 }), { maxPipelined: 2 });
    const wireLength = CHUNKED_WIRE.length + SHORT_WIRE.length;
    for (let split = 1; split < wireLength; split++) {
      const first = connection.request(get(`/pair-a/${split}`));
      const second = connection.request(get(`/pair-b/${split}`));
      expect(await bodyText(await first, 'views'), `split ${split}`).toBe(CHUNKED_BODY);
      expect(await bodyText(await second, 'owned'), `split ${split}`).toBe('short answer');
    }
    expect(origin.accepted).toBe(1);
    await connection.close();
  });

  it('a view keeps its bytes while the consumer waits and the socket pauses and resumes', async () => {
    origin = await tlsOrigin(answer);
    const socket = await connect({ readBufferSize: 16 * 1024 });
    const hook = socketReadsOf(socket);
    const connection = new Http1Connection(socket);
    const response = await connection.request(get('/bytes/3000000'));
    let offset = 0;
    let views = 0;
    let mostPinned = 0;
    for await (const view of response.body.views()) {
      const copy = Buffer.from(view);
      if (views++ % 3 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      mostPinned = Math.max(mostPinned, hook?.pinnedCount() ?? 0);
      expect(Buffer.compare(view, copy)).toBe(0);
      offset = checkPattern(view, offset);
    }
    expect(offset).toBe(3_000_000);
    // Reads went on into other buffers while the consumer held a view.
    expect(mostPinned).toBeGreaterThanOrEqual(2);
    await connection.close();
  });

  it('ordinary chunks are the consumer own: every one kept, all intact at the end', async () => {
    origin = await tlsOrigin(answer);
    const connection = new Http1Connection(await connect());
    const response = await connection.request(get('/bytes/4000000'));
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    let offset = 0;
    for (const chunk of chunks) offset = checkPattern(chunk, offset);
    expect(offset).toBe(4_000_000);
    await connection.close();
  });

  it('cancelling a borrowed body mid-way gives the lent buffers back and closes both ends', async () => {
    origin = await tlsOrigin(answer);
    const socket = await connect();
    const hook = socketReadsOf(socket);
    const connection = new Http1Connection(socket);
    const response = await connection.request(get('/bytes/8000000'));
    let offset = 0;
    for await (const view of response.body.views()) {
      offset = checkPattern(view, offset);
      if (offset > 1_000_000) break; // far more left than drainOnCancel reads: the connection closes
    }
    await expect(response.trailers).rejects.toMatchObject({ code: 'ABORTED' });
    expect(hook?.pinnedCount()).toBe(0);
    await connection.whenClosed();
    await origin.allClosed();
  });

  it('abort while a view is held fails the next read with ABORTED and frees the socket', async () => {
    origin = await tlsOrigin(answer);
    const connection = new Http1Connection(await connect());
    const controller = new AbortController();
    const failure = await interruptAfterFirstView(
      connection,
      () => controller.abort(new Error('user stop')),
      controller.signal,
    );
    expect(HttpClientError.is(failure, 'ABORTED')).toBe(true);
    await connection.whenClosed();
    await origin.allClosed();
  });

  it('close_notify mid-body is CONNECTION_CLOSED for the reader, with no socket left open', async () => {
    origin = await tlsOrigin(answer);
    const connection = new Http1Connection(await connect());
    const failure = await interruptAfterFirstView(connection, () => origin.closeNotify());
    expect(failure).toMatchObject({ code: 'CONNECTION_CLOSED', requestSent: true });
    await connection.whenClosed();
    await origin.allClosed();
  });

  it('a TCP reset mid-body (no TLS alert) is CONNECTION_CLOSED for the reader, with no socket left open', async () => {
    origin = await tlsOrigin(answer);
    const socket = await connect();
    const connection = new Http1Connection(socket);
    const failure = await interruptAfterFirstView(connection, () => origin.reset());
    expect(failure).toMatchObject({ code: 'CONNECTION_CLOSED', requestSent: true });
    await connection.whenClosed();
    expect((socket as Socket).destroyed).toBe(true);
    await origin.allClosed();
  });

  it('reuseReadBuffers: false reads with data events and has no read hook', async () => {
    origin = await tlsOrigin(answer);
    const socket = await connect({ reuseReadBuffers: false });
    expect(socketReadsOf(socket)).toBeNull();
    const connection = new Http1Connection(socket);
    const read = await readViews(await connection.request(get('/bytes/1000000')));
    expect(read.bytes).toBe(1_000_000);
    // Every read is its own buffer here: many, not a handful.
    expect(read.buffers.size).toBeGreaterThan(20);
    await connection.close();
  });
});

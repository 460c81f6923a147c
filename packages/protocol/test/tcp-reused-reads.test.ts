import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connectTargetFor, createRequest, HttpClientError, type HttpResponse } from '@x/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Http1Connection, tcpConnector } from '../src/index.js';
import { SOCKET_READS } from '../src/socket-reads.js';

// tcpConnector's sockets read with `onread` into reused buffers
// (socket-reads.ts). Over real loopback sockets: bodies arrive intact through
// views and as owned chunks, lent buffers are few and reused, a view keeps its
// bytes while the consumer waits, an upgraded socket behaves like any Duplex,
// and abort still frees the socket.

/** Byte i of every body: a pattern no shifted or overwritten read can reproduce. */
const patternByte = (index: number): number => (index * 31 + (index >> 12)) % 251;

function pattern(start: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  for (let index = 0; index < length; index++) bytes[index] = patternByte(start + index);
  return bytes;
}

/** Checks `bytes` against the pattern from `offset`; returns the offset after them. */
function expectPattern(bytes: Uint8Array, offset: number): number {
  for (let index = 0; index < bytes.byteLength; index++) {
    if (bytes[index] !== patternByte(offset + index)) {
      throw new Error(`byte ${offset + index} is ${bytes[index]}, expected ${patternByte(offset + index)}`);
    }
  }
  return offset + bytes.byteLength;
}

interface TestServer {
  readonly url: string;
  openSockets(): number;
  close(): Promise<void>;
}

/**
 * GET /bytes/N answers N pattern bytes (Content-Length), in 64 KiB writes
 * with backpressure; /stall/N sends the head and N bytes, then nothing;
 * /upgrade answers 101 followed by 300 000 pattern bytes. Keep-alive.
 */
async function startServer(): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      for (let end = text.indexOf('\r\n\r\n'); end !== -1; end = text.indexOf('\r\n\r\n')) {
        const path = text.slice(0, end).split(' ')[1] ?? '/';
        text = text.slice(end + 4);
        answer(socket, path);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    openSockets: () => sockets.size,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answer(socket: Socket, path: string): void {
  const [, kind, count] = path.split('/');
  const length = Number(count ?? 0);
  if (kind === 'upgrade') {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: test\r\n\r\n');
    sendPattern(socket, 300_000);
    return;
  }
  socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${length}\r\n\r\n`);
  if (kind === 'stall') socket.write(pattern(0, length));
  else sendPattern(socket, length);
}

function sendPattern(socket: Socket, length: number): void {
  let offset = 0;
  const pump = () => {
    while (offset < length && !socket.destroyed) {
      const size = Math.min(65_536, length - offset);
      const more = socket.write(pattern(offset, size));
      offset += size;
      if (!more) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

let server: TestServer;
const opened: Duplex[] = [];

async function connect(options: Parameters<typeof tcpConnector>[0] = {}): Promise<Duplex> {
  const socket = await tcpConnector(options)(connectTargetFor(new URL(server.url)), {});
  opened.push(socket);
  return socket;
}

const get = (path: string, init: { signal?: AbortSignal; upgrade?: boolean } = {}) =>
  createRequest({
    url: `${server.url}${path}`,
    signal: init.signal,
    ...(init.upgrade
      ? { headers: { connection: 'upgrade', upgrade: 'test' }, options: { http1: { upgrade: true } } }
      : {}),
  });

async function readViews(response: HttpResponse): Promise<{ bytes: number; buffers: Set<ArrayBufferLike> }> {
  let offset = 0;
  const buffers = new Set<ArrayBufferLike>();
  for await (const view of response.body.views()) {
    buffers.add(view.buffer);
    offset = expectPattern(view, offset);
  }
  return { bytes: offset, buffers };
}

afterEach(async () => {
  for (const socket of opened.splice(0)) socket.destroy();
  await server?.close();
});

describe('tcpConnector reads into reused buffers', () => {
  it('a body read through views arrives intact in a handful of buffers, then the connection carries another request', async () => {
    server = await startServer();
    const socket = await connect();
    expect(Object.getOwnPropertySymbols(socket)).toContain(SOCKET_READS);
    const connection = new Http1Connection(socket);
    const size = 8 * 1024 * 1024;
    const first = await readViews(await connection.request(get(`/bytes/${size}`)));
    expect(first.bytes).toBe(size);
    // The first read's body bytes are a copy (they landed in the shared buffer), the second read
    // went into a buffer armed before views() was called, every later one into one of three
    // lent buffers: a few buffers for 8 MiB, not one per read.
    expect(first.buffers.size).toBeLessThanOrEqual(5);
    expect(connection.idle).toBe(true);
    const second = await readViews(await connection.request(get('/bytes/300000')));
    expect(second.bytes).toBe(300_000);
    expect(connection.requestCount).toBe(2);
    await connection.close();
  });

  it('a view keeps its bytes while the consumer waits on other work and the server keeps sending', async () => {
    server = await startServer();
    const connection = new Http1Connection(await connect({ readBufferSize: 16 * 1024 }));
    const response = await connection.request(get('/bytes/2000000'));
    let offset = 0;
    let views = 0;
    for await (const view of response.body.views()) {
      const copy = Buffer.from(view);
      if (views++ % 4 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      expect(Buffer.compare(view, copy)).toBe(0);
      offset = expectPattern(view, offset);
    }
    expect(offset).toBe(2_000_000);
    await connection.close();
  });

  it('ordinary chunks are the consumer own: all of them kept, all intact at the end', async () => {
    server = await startServer();
    const connection = new Http1Connection(await connect());
    const response = await connection.request(get('/bytes/4000000'));
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    let offset = 0;
    for (const chunk of chunks) offset = expectPattern(chunk, offset);
    expect(offset).toBe(4_000_000);
    await connection.close();
  });

  it('reuseReadBuffers: false reads through data events; views() then gives owned chunks', async () => {
    server = await startServer();
    const socket = await connect({ reuseReadBuffers: false });
    expect(Object.getOwnPropertySymbols(socket)).not.toContain(SOCKET_READS);
    const connection = new Http1Connection(socket);
    const read = await readViews(await connection.request(get('/bytes/1000000')));
    expect(read.bytes).toBe(1_000_000);
    await connection.close();
  });

  it('an upgraded socket behaves like any Duplex: owned data events, pause and resume', async () => {
    server = await startServer();
    const connection = new Http1Connection(await connect());
    const response = await connection.request(get('/upgrade', { upgrade: true }));
    const upgraded = response.meta.upgrade;
    expect(response.status).toBe(101);
    if (upgraded === undefined) throw new Error('no upgrade');
    const chunks: Buffer[] = [Buffer.from(upgraded.head)];
    let total = upgraded.head.byteLength;
    const done = new Promise<void>((resolve) => {
      upgraded.socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk); // kept as is: must not be a view of a buffer read into again
        total += chunk.length;
        if (chunks.length === 3) {
          upgraded.socket.pause();
          setTimeout(() => upgraded.socket.resume(), 20);
        }
        if (total >= 300_000) resolve();
      });
    });
    upgraded.socket.resume();
    await done;
    let offset = 0;
    for (const chunk of chunks) offset = expectPattern(chunk, offset);
    expect(offset).toBe(300_000);
    upgraded.socket.destroy();
  });

  it('abort while a view is held fails the next read with ABORTED and frees the socket', async () => {
    server = await startServer();
    const connection = new Http1Connection(await connect());
    const controller = new AbortController();
    const response = await connection.request(get('/stall/100000', { signal: controller.signal }));
    const iterator = response.body.views();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    controller.abort(new Error('user stop'));
    const error = await iterator.next().then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(HttpClientError.is(error, 'ABORTED')).toBe(true);
    await connection.whenClosed();
    while (server.openSockets() > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(server.openSockets()).toBe(0);
  });
});

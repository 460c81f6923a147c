import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createManualClock, createRequest, HttpClientError } from '@x/core';
import { cleanupAfterEach } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { Http1Connection, type Http1ConnectionOptions, tcpConnector } from '../src/index.js';
import { get, memoryConnection } from './support/memory.js';

const cleanups = cleanupAfterEach();

interface PartialServer {
  readonly port: number;
  /** Sockets accepted so far. */
  accepted(): number;
  /** Sockets still open on the server side. */
  open(): number;
  /** Lets the held response send the rest of its body. */
  release(): void;
}

/**
 * A node:http keep-alive server: `/partial` sends `first` bytes of its body,
 * waits for `release()`, then sends the rest; any other path answers "next".
 */
async function partialServer(options: {
  total: number;
  first: number;
  chunked?: boolean;
}): Promise<PartialServer> {
  const held: (() => void)[] = [];
  const released: { value: boolean } = { value: false };
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer(
    { keepAliveTimeout: 30_000 },
    (request: IncomingMessage, response: ServerResponse) => {
      if (request.url !== '/partial') {
        response.end('next');
        return;
      }
      response.writeHead(200, options.chunked ? {} : { 'content-length': String(options.total) });
      response.write(Buffer.alloc(options.first, 0x61));
      const rest = () => response.end(Buffer.alloc(options.total - options.first, 0x62));
      if (released.value) rest();
      else held.push(rest);
    },
  );
  server.on('connection', (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    accepted: () => accepted,
    open: () => sockets.size,
    release: () => {
      released.value = true;
      for (const send of held.splice(0)) send();
    },
  };
}

async function connectionTo(port: number, options: Http1ConnectionOptions = {}): Promise<Http1Connection> {
  const socket = await tcpConnector()({ scheme: 'http', host: '127.0.0.1', port }, {});
  const connection = new Http1Connection(socket, options);
  cleanups.push(() => connection.destroy());
  return connection;
}

async function readFirstChunkThenCancel(connection: Http1Connection, port: number) {
  const response = await connection.request(createRequest({ url: `http://127.0.0.1:${port}/partial` }));
  const iterator = response.body[Symbol.asyncIterator]();
  const first = await iterator.next();
  expect(first.done).toBe(false);
  await response.body.cancel(new Error('enough'));
  return response;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('drain on cancel, seen from a node:http server', () => {
  for (const chunked of [false, true]) {
    it(`reads and discards a small ${chunked ? 'chunked' : 'Content-Length'} remainder and reuses the socket`, async () => {
      const server = await partialServer({ total: 20_000, first: 1000, chunked });
      const connection = await connectionTo(server.port);
      const response = await readFirstChunkThenCancel(connection, server.port);
      // The caller's view is final at once; the connection is busy until the rest arrived.
      const trailers = await response.trailers.catch((error: unknown) => error);
      expect(HttpClientError.is(trailers, 'ABORTED')).toBe(true);
      expect(connection.idle).toBe(false);
      expect(connection.closed).toBe(false);
      const idle = once(connection, 'idle');
      server.release();
      await idle;
      expect(connection.idle).toBe(true);
      const next = await connection.request(createRequest({ url: `http://127.0.0.1:${server.port}/next` }));
      expect(await next.body.text()).toBe('next');
      expect(next.meta.connection?.reused).toBe(true);
      expect(server.accepted()).toBe(1);
    });
  }

  it('closes at once when the known remainder is above maxBytes', async () => {
    const server = await partialServer({ total: 20_000, first: 1000 });
    const connection = await connectionTo(server.port, { drainOnCancel: { maxBytes: 4096 } });
    await readFirstChunkThenCancel(connection, server.port);
    expect(connection.closed).toBe(true);
    const info = await connection.whenClosed();
    expect(info.error?.code).toBe('ABORTED');
    expect(info.error?.details.drain).toBeUndefined();
    await until(() => server.open() === 0);
  });

  it('closes a chunked body that goes past maxBytes while draining', async () => {
    const server = await partialServer({ total: 40_000, first: 1000, chunked: true });
    const connection = await connectionTo(server.port, { drainOnCancel: { maxBytes: 4096 } });
    await readFirstChunkThenCancel(connection, server.port);
    expect(connection.closed).toBe(false);
    server.release();
    const info = await connection.whenClosed();
    expect(info.error).toMatchObject({ code: 'ABORTED', details: { drain: 'limit' } });
    expect(info.error?.details.drainedBytes as number).toBeGreaterThan(4096);
    await until(() => server.open() === 0);
    expect(server.accepted()).toBe(1);
  });

  it('drainOnCancel: false, or a bound that is not a finite number, closes on every cancel', async () => {
    for (const drainOnCancel of [false, { maxBytes: Number.NaN }, { timeout: -1 }] as const) {
      const server = await partialServer({ total: 2000, first: 1000 });
      const connection = await connectionTo(server.port, { drainOnCancel });
      await readFirstChunkThenCancel(connection, server.port);
      expect(connection.closed).toBe(true);
      await until(() => server.open() === 0);
    }
  });
});

describe('drain on cancel, bounded in time (manual clock)', () => {
  function open(options: Http1ConnectionOptions) {
    const pipe = memoryConnection(options);
    cleanups.push(() => pipe.connection.destroy());
    return pipe;
  }

  async function cancelAfterFirstChunk(pipe: ReturnType<typeof open>, head: string) {
    const pending = pipe.connection.request(get());
    await pipe.until((text) => text.length > 0);
    pipe.reply(head);
    const response = await pending;
    const iterator = response.body[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    await response.body.cancel('done');
    return response;
  }

  it('closes when the rest does not arrive within the timeout, leaving no timer', async () => {
    const clock = createManualClock();
    const pipe = open({ clock, drainOnCancel: { timeout: 1000 }, timeouts: { total: 60_000 } });
    await cancelAfterFirstChunk(pipe, 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    clock.advance(999);
    expect(pipe.connection.closed).toBe(false);
    clock.advance(1);
    expect(pipe.connection.closed).toBe(true);
    const info = await pipe.connection.whenClosed();
    expect(info.error).toMatchObject({ code: 'ABORTED', details: { drain: 'timeout', drainedBytes: 0 } });
    expect(pipe.client.destroyed).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('a completed drain leaves no timer and the next request uses the same pipe', async () => {
    const clock = createManualClock();
    const pipe = open({ clock, timeouts: { total: 60_000 } });
    await cancelAfterFirstChunk(pipe, 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    const idle = once(pipe.connection, 'idle');
    pipe.reply('defghij');
    await idle;
    expect(clock.pendingTimers()).toBe(0);
    const next = pipe.connection.request(get('http://a.test/next'));
    await pipe.until((text) => text.includes('/next'));
    pipe.reply('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    expect(await (await next).body.text()).toBe('ok');
    expect(pipe.client.destroyed).toBe(false);
  });

  it('the caller’s abort signal no longer matters once its body was cancelled', async () => {
    const clock = createManualClock();
    const pipe = open({ clock });
    const controller = new AbortController();
    const pending = pipe.connection.request(get('http://a.test/', { signal: controller.signal }));
    await pipe.until((text) => text.length > 0);
    pipe.reply('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    const response = await pending;
    await response.body.cancel();
    controller.abort();
    expect(pipe.connection.closed).toBe(false);
    const idle = once(pipe.connection, 'idle');
    pipe.reply('defghij');
    await idle;
  });

  it('never drains a close-delimited body or a response that said Connection: close', async () => {
    for (const head of [
      'HTTP/1.1 200 OK\r\n\r\nabc',
      'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 10\r\n\r\nabc',
    ]) {
      const clock = createManualClock();
      const pipe = open({ clock });
      await cancelAfterFirstChunk(pipe, head);
      expect(pipe.connection.closed).toBe(true);
      expect(pipe.client.destroyed).toBe(true);
      expect(clock.pendingTimers()).toBe(0);
    }
  });
});

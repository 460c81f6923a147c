import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server, Socket } from 'node:net';
import { createRequest, HttpClientError } from '@x/core';
import { cleanupAfterEach, selfSignedCertificate } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import {
  createHttp1Transport,
  Http1Connection,
  schemeConnector,
  tcpConnector,
  tlsConnector,
} from '../src/index.js';
import { type RawServer, rawServer } from './support/servers.js';

interface Tracked {
  port: number;
  sockets: Set<Socket>;
  close(): Promise<void>;
}

const cleanups = cleanupAfterEach();

async function track(server: Server): Promise<Tracked> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const tracked: Tracked = {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    sockets,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  cleanups.push(tracked.close);
  return tracked;
}

async function allClosed(server: { sockets: Set<Socket> } | RawServer): Promise<void> {
  if ('allClosed' in server) return server.allClosed();
  while (server.sockets.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function httpServer(handler: (request: IncomingMessage, response: ServerResponse) => void) {
  return track(createHttpServer(handler));
}

async function connectionTo(port: number, options: ConstructorParameters<typeof Http1Connection>[1] = {}) {
  const socket = await tcpConnector()({ scheme: 'http', host: '127.0.0.1', port }, {});
  const connection = new Http1Connection(socket, options);
  cleanups.push(async () => connection.destroy());
  return connection;
}

describe('Http1Connection over TCP', () => {
  it('pipelines requests to a real server and gets the responses in order', async () => {
    const server = await httpServer((request, response) => response.end(`you asked ${request.url}`));
    const connection = await connectionTo(server.port, { maxPipelined: 4 });
    const paths = ['/a', '/b', '/c', '/d'];
    const responses = paths.map((path) =>
      connection.request(createRequest({ url: `http://127.0.0.1:${server.port}${path}` })),
    );
    expect(connection.pending).toBe(4);
    const bodies = await Promise.all(responses.map(async (pending) => (await pending).body.text()));
    expect(bodies).toEqual(paths.map((path) => `you asked ${path}`));
    expect(connection.requestCount).toBe(4);
    expect(server.sockets.size).toBe(1);
  });

  it('cancelling a body mid-way closes the server-side socket', async () => {
    const server = await httpServer((_request, response) => {
      response.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      const chunk = Buffer.alloc(64 * 1024, 0x62);
      const pump = () => {
        while (!response.destroyed && response.write(chunk)) {}
        if (!response.destroyed) response.once('drain', pump);
      };
      pump();
    });
    const connection = await connectionTo(server.port);
    const response = await connection.request(createRequest({ url: `http://127.0.0.1:${server.port}/` }));
    const iterator = response.body[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    await response.body.cancel(new Error('enough')).catch(() => undefined);
    await iterator.return?.();
    const info = await connection.whenClosed();
    expect(info.error?.code).toBe('ABORTED');
    await allClosed(server);
  });

  it('aborting mid-body fails the reader with the reason and frees both ends', async () => {
    const server = await httpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('first');
    });
    const connection = await connectionTo(server.port);
    const controller = new AbortController();
    const response = await connection.request(
      createRequest({ url: `http://127.0.0.1:${server.port}/`, signal: controller.signal }),
    );
    const reading: Promise<unknown> = response.body.text();
    controller.abort(new Error('user left'));
    const error = (await reading.catch((caught: unknown) => caught)) as HttpClientError;
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect((error.cause as Error).message).toBe('user left');
    await allClosed(server);
  });

  it('a server closing a reused connection as we write is a before-response failure', async () => {
    let served = 0;
    const server = await rawServer((socket) => {
      served++;
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      // The next request on this connection will meet a closed socket.
      socket.once('data', () => socket.destroy());
    });
    cleanups.push(() => server.close());
    const connection = await connectionTo(server.port);
    await (await connection.request(createRequest({ url: `${server.url}/1` }))).body.text();
    const error = await connection
      .request(createRequest({ url: `${server.url}/2` }))
      .catch((caught: unknown) => caught as HttpClientError);
    expect(error).toMatchObject({
      code: 'CONNECTION_CLOSED',
      requestSent: true,
      details: { responseStarted: false },
    });
    expect((await connection.whenClosed()).beforeResponse).toBe(true);
    expect(connection.requestCount).toBe(2);
    expect(served).toBe(1);
  });
});

describe('createHttp1Transport over TLS', () => {
  it('speaks HTTP/1.1 over a verified TLS connection', async () => {
    const { key, cert } = selfSignedCertificate({
      commonName: 'localhost',
      subjectAltName: 'DNS:localhost,IP:127.0.0.1',
    });
    const server = await track(
      createHttpsServer({ key, cert }, (request, response) => response.end(`secure ${request.url}`)),
    );
    const transport = createHttp1Transport({
      connector: schemeConnector(tcpConnector(), tlsConnector({ ca: cert })),
    });
    cleanups.push(() => transport.close());
    const response = await transport.request(createRequest({ url: `https://localhost:${server.port}/s` }));
    expect(await response.body.text()).toBe('secure /s');

    const untrusted = createHttp1Transport();
    cleanups.push(() => untrusted.close());
    const error = await untrusted
      .request(createRequest({ url: `https://localhost:${server.port}/s` }))
      .catch((caught: unknown) => caught as HttpClientError);
    expect(error).toMatchObject({ code: 'TLS_FAILED', requestSent: false, method: 'GET' });
    expect(error.url).toBe(`https://localhost:${server.port}/s`);
    await allClosed(server);
  });
});

describe('createHttp1Transport connect failures', () => {
  it('completes connector errors with the request and requestSent false', async () => {
    const server = await httpServer(() => undefined);
    const port = server.port;
    await server.close();
    cleanups.pop();
    const transport = createHttp1Transport();
    cleanups.push(() => transport.close());
    const error = await transport
      .request(createRequest({ method: 'POST', url: `http://127.0.0.1:${port}/x`, body: 'data' }))
      .catch((caught: unknown) => caught as HttpClientError);
    expect(HttpClientError.is(error, 'CONNECT_FAILED')).toBe(true);
    expect(error).toMatchObject({ requestSent: false, method: 'POST', url: `http://127.0.0.1:${port}/x` });
  });
});

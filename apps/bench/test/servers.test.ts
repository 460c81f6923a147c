import { once } from 'node:events';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { contender as rawSocket } from '../src/contenders/raw-socket.js';
import { createLlhttpParser } from '../src/micro/llhttp-parser.js';
import { cannedWorkload } from '../src/scenarios/canned-workload.js';
import { cannedAnswer, cannedRoute } from '../src/servers/canned-responses.js';
import { createCannedServer } from '../src/servers/canned-server.js';
import { RequestReader } from '../src/servers/request-reader.js';
import { chunkedResponse, downloadHead, streamParameters } from '../src/servers/stream-responses.js';
import { createStreamServer } from '../src/servers/stream-server.js';

describe('RequestReader', () => {
  it('splits pipelined requests, skips Content-Length bodies and keeps a partial head for later', () => {
    const reader = new RequestReader();
    const first = reader.push(
      Buffer.from(
        'GET /a HTTP/1.1\r\nhost: x\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /c?x=1 HTTP/1.1\r\nconn',
      ),
    );
    expect(first).toEqual({
      ok: true,
      requests: [
        { method: 'GET', target: '/a', close: false, ifNoneMatch: null },
        { method: 'POST', target: '/b', close: false, ifNoneMatch: null },
      ],
    });
    const second = reader.push(Buffer.from('ection: close\r\n\r\n'));
    expect(second).toEqual({
      ok: true,
      requests: [{ method: 'GET', target: '/c?x=1', close: true, ifNoneMatch: null }],
    });
  });

  it('reads If-None-Match, and the revalidate route answers a matching tag with a bodiless 304', () => {
    const [request] = (
      new RequestReader().push(
        Buffer.from('GET /revalidate HTTP/1.1\r\nIf-None-Match:  W/"x", "r1" \r\n\r\n'),
      ) as {
        requests: { ifNoneMatch: string | null }[];
      }
    ).requests;
    expect(request?.ifNoneMatch).toBe('W/"x", "r1"');
    const found = cannedRoute('/revalidate');
    const notModified = cannedAnswer(found, request?.ifNoneMatch ?? null).toString('latin1');
    expect(notModified).toMatch(/^HTTP\/1\.1 304 Not Modified\r\n/);
    expect(notModified).toContain('etag: "r1"\r\n');
    expect(notModified).not.toMatch(/content-length/i);
    expect(notModified.endsWith('\r\n\r\n')).toBe(true);
    expect(cannedAnswer(found, '"other"')).toBe(found.bytes);
    expect(cannedAnswer(found, null)).toBe(found.bytes);
    const cached = cannedRoute('/cached');
    expect(cannedAnswer(cached, '"v1"')).toBe(cached.bytes);
  });

  it('skips a body split across reads', () => {
    const reader = new RequestReader();
    expect(reader.push(Buffer.from('POST /b HTTP/1.1\r\ncontent-length: 10\r\n\r\n12345'))).toMatchObject({
      requests: [{ target: '/b' }],
    });
    expect(reader.push(Buffer.from('67890GET /d HTTP/1.1\r\n\r\n'))).toMatchObject({
      requests: [{ target: '/d' }],
    });
  });

  it('refuses what the benchmark servers do not handle instead of guessing', () => {
    expect(
      new RequestReader().push(Buffer.from('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n')).ok,
    ).toBe(false);
    expect(new RequestReader().push(Buffer.alloc(70 * 1024, 'a')).ok).toBe(false);
    expect(new RequestReader().push(Buffer.from('NONSENSE\r\n\r\n')).ok).toBe(false);
  });
});

describe('stream server responses', () => {
  it('frames a chunked body with trailers that llhttp accepts byte for byte', () => {
    const response = chunkedResponse(10_000, 4096);
    const parsed = createLlhttpParser()(response.bytes);
    expect(parsed.complete).toBe(true);
    expect(parsed.status).toBe(200);
    expect(parsed.bodyBytes).toBe(10_000);
    expect(response.trailers['x-chunk-count']).toBe('3');
  });

  it('bounds the sizes a request may ask for', () => {
    expect(streamParameters('/download?bytes=1024')).toEqual({
      path: '/download',
      bytes: 1024,
      chunk: 16384,
    });
    expect(streamParameters('/download?bytes=99999999999999')).toBeNull();
    expect(streamParameters('/chunked?bytes=10&chunk=0')).toBeNull();
    expect(streamParameters('/download?bytes=-1')).toBeNull();
  });
});

describe('raw-socket ceiling', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server?.listening) {
      server.close();
      await once(server, 'close');
    }
  });

  it('pipelines up to the depth and counts every response end by length', async () => {
    server = createCannedServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const sockets = new Set<unknown>();
    server.on('connection', (socket) => sockets.add(socket));
    const { port } = server.address() as AddressInfo;
    const session = await rawSocket.setup({
      origin: new URL(`http://127.0.0.1:${port}`),
      connections: 2,
      pipelining: 5,
      keepAlive: true,
      cache: false,
    });
    try {
      const { operation } = cannedWorkload('/small', 'bytes');
      const results = await Promise.all(Array.from({ length: 23 }, () => session.request(operation)));
      expect(results).toHaveLength(23);
      expect(results.every((result) => result.status === 200)).toBe(true);
      expect(sockets.size).toBe(2);
    } finally {
      await session.close();
    }
  });

  it('opens and closes a connection per request when keep-alive is off', async () => {
    server = createCannedServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    let connections = 0;
    server.on('connection', () => connections++);
    const { port } = server.address() as AddressInfo;
    const session = await rawSocket.setup({
      origin: new URL(`http://127.0.0.1:${port}`),
      connections: 1,
      pipelining: 1,
      keepAlive: false,
      cache: false,
    });
    try {
      const { operation } = cannedWorkload('/json', 'json');
      for (let index = 0; index < 3; index++) await session.request(operation);
      expect(connections).toBe(3);
    } finally {
      await session.close();
    }
  });
});

describe('stream server', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server?.listening) {
      server.close();
      await once(server, 'close');
    }
  });

  it('streams a large body with backpressure and leaves no listeners behind between writes', async () => {
    server = createStreamServer();
    let serverSocket: Socket | undefined;
    server.on('connection', (socket: Socket) => {
      serverSocket = socket;
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const bytes = 32 * 1024 * 1024;
    const session = await rawSocket.setup({
      origin: new URL(`http://127.0.0.1:${port}`),
      connections: 1,
      pipelining: 1,
      keepAlive: true,
      cache: false,
    });
    try {
      const operation = {
        method: 'GET' as const,
        path: `/download?bytes=${bytes}`,
        headers: {},
        body: null,
        read: 'stream' as const,
        responseBytes: downloadHead(bytes).length + bytes,
      };
      // Twice on one connection: the second response must start exactly where the first ended.
      await session.request(operation);
      await session.request(operation);
      expect(serverSocket?.listenerCount('close')).toBeLessThan(4);
      expect(serverSocket?.listenerCount('drain')).toBe(0);
    } finally {
      await session.close();
    }
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LookupFunction, Socket } from 'node:net';
import { duplexPair } from 'node:stream';
import { type Connector, createManualClock, createRequest, HttpClientError, streamBody } from '@x/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttp1Transport, Http1Connection, tcpConnector } from '../src/index.js';

interface TestServer {
  url: string;
  port: number;
  sockets: Set<Socket>;
  close(): Promise<void>;
}

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function serve(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<TestServer> {
  const server: Server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const entry: TestServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    sockets,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  servers.push(entry);
  return entry;
}

async function allClosed(server: TestServer): Promise<void> {
  while (server.sockets.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('createHttp1Transport against node:http', () => {
  it('sends a request and reads the response, one connection per request, closed after', async () => {
    const server = await serve(async (request, response) => {
      const body = await readAll(request);
      response.setHeader('content-type', 'text/plain; charset=utf-8');
      response.end(`${request.method} ${request.url} ${request.headers.host} ${body.toString()}`);
    });
    const transport = createHttp1Transport();
    try {
      const first = await transport.request(
        createRequest({ method: 'POST', url: `${server.url}/a?b=1`, body: 'hé' }),
      );
      expect(await first.body.text()).toBe(`POST /a?b=1 127.0.0.1:${server.port} hé`);
      expect(first.headers.get('connection')).toBe('close');
      const second = await transport.request(createRequest({ url: `${server.url}/two` }));
      expect(await second.body.text()).toContain('GET /two');
      expect(second.meta.connection?.id).not.toBe(first.meta.connection?.id);
      expect(second.meta.connection?.remotePort).toBe(server.port);
      expect(second.meta.timings?.headers).toBeGreaterThanOrEqual(second.meta.timings?.start ?? Number.NaN);
      await allClosed(server);
      expect(transport.openConnections).toBe(0);
    } finally {
      await transport.close();
    }
  });

  it('streams a chunked upload with trailers and reads response trailers', async () => {
    const server = await serve(async (request, response) => {
      const body = await readAll(request);
      response.writeHead(200, { 'transfer-encoding': 'chunked', trailer: 'x-length' });
      response.write(body);
      response.addTrailers({ 'x-length': String(body.length), 'x-sum': request.trailers['x-sum'] ?? 'none' });
      response.end();
    });
    async function* parts() {
      yield new TextEncoder().encode('abc');
      yield new TextEncoder().encode('defg');
    }
    const transport = createHttp1Transport();
    try {
      const response = await transport.request(
        createRequest({
          method: 'PUT',
          url: server.url,
          body: streamBody(parts()),
          options: { http1: { trailers: { 'x-sum': '7' } } },
        }),
      );
      expect(await response.body.text()).toBe('abcdefg');
      const trailers = await response.trailers;
      expect(trailers.get('x-length')).toBe('7');
      expect(trailers.get('x-sum')).toBe('7');
    } finally {
      await transport.close();
    }
  });

  it('delivers 103 Early Hints to the callback and the final response after', async () => {
    const server = await serve((_request, response) => {
      response.writeEarlyHints({ link: '</style.css>; rel=preload' });
      response.end('final');
    });
    const hints: string[] = [];
    const transport = createHttp1Transport();
    try {
      const response = await transport.request(
        createRequest({
          url: server.url,
          options: {
            http1: { onInformational: (info) => hints.push(`${info.status} ${info.headers.get('link')}`) },
          },
        }),
      );
      expect(await response.body.text()).toBe('final');
      expect(hints).toEqual(['103 </style.css>; rel=preload']);
    } finally {
      await transport.close();
    }
  });

  it('reads no body for HEAD even with Content-Length', async () => {
    const server = await serve((_request, response) => {
      response.setHeader('content-length', '1000');
      response.end();
    });
    const transport = createHttp1Transport();
    try {
      const response = await transport.request(createRequest({ method: 'HEAD', url: server.url }));
      expect(response.headers.get('content-length')).toBe('1000');
      expect((await response.body.bytes()).byteLength).toBe(0);
    } finally {
      await transport.close();
    }
  });

  it('refuses new requests after close, and close waits for bodies in flight', async () => {
    const server = await serve((_request, response) => {
      response.write('part1');
      setImmediate(() => response.end('part2'));
    });
    const transport = createHttp1Transport();
    const response = await transport.request(createRequest({ url: server.url }));
    const closing = transport.close();
    const refused = await transport
      .request(createRequest({ url: server.url }))
      .catch((error: unknown) => error);
    expect(HttpClientError.is(refused, 'TRANSPORT_CLOSED')).toBe(true);
    expect(await response.body.text()).toBe('part1part2');
    await closing;
    await allClosed(server);
  });

  it('aborting while waiting for the head frees the server-side socket', async () => {
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const server = await serve(() => arrived());
    const transport = createHttp1Transport();
    const controller = new AbortController();
    try {
      const pending = transport.request(createRequest({ url: server.url, signal: controller.signal }));
      await requestArrived;
      controller.abort(new Error('bye'));
      const error = await pending.catch((caught: unknown) => caught as HttpClientError);
      expect(error).toMatchObject({ code: 'ABORTED', requestSent: true });
      await allClosed(server);
      expect(transport.openConnections).toBe(0);
    } finally {
      await transport.close();
    }
  });

  it('a headers timeout frees the server-side socket', async () => {
    const server = await serve(() => undefined);
    const transport = createHttp1Transport({ timeouts: { headers: 50 } });
    try {
      const error = await transport
        .request(createRequest({ url: server.url }))
        .catch((caught: unknown) => caught as HttpClientError);
      expect(error).toMatchObject({ code: 'TIMEOUT', phase: 'headers' });
      await allClosed(server);
    } finally {
      await transport.close();
    }
  });
});

describe('Http1Connection over TCP (how the pool will use it)', () => {
  it('carries several requests on one socket and reports the keep-alive hint', async () => {
    const server = await serve((request, response) => {
      response.setHeader('keep-alive', 'timeout=3');
      response.end(request.url);
    });
    const socket = await tcpConnector()({ scheme: 'http', host: '127.0.0.1', port: server.port }, {});
    const connection = new Http1Connection(socket, { id: 1 });
    try {
      for (const path of ['/1', '/2', '/3']) {
        const response = await connection.request(createRequest({ url: `${server.url}${path}` }));
        expect(await response.body.text()).toBe(path);
      }
      expect(connection.requestCount).toBe(3);
      expect(connection.idle).toBe(true);
      expect(connection.keepAliveTimeout).toBe(3000);
      expect(server.sockets.size).toBe(1);
      await connection.close();
      await allClosed(server);
    } finally {
      connection.destroy();
    }
  });

  it('notices the server closing an idle connection', async () => {
    const server = await serve((_request, response) => response.end('x'));
    const socket = await tcpConnector()({ scheme: 'http', host: '127.0.0.1', port: server.port }, {});
    const connection = new Http1Connection(socket);
    try {
      await (await connection.request(createRequest({ url: server.url }))).body.text();
      for (const serverSocket of server.sockets) serverSocket.end();
      const info = await connection.whenClosed();
      expect(info).toMatchObject({ error: null, requestCount: 1, beforeResponse: false });
      expect(connection.reusable).toBe(false);
    } finally {
      connection.destroy();
    }
  });
});

describe('createHttp1Transport with other connectors', () => {
  it('runs over an in-memory connector', async () => {
    const targets: string[] = [];
    const connector: Connector = async (target) => {
      targets.push(`${target.scheme}://${target.host}:${target.port}`);
      const [client, server] = duplexPair();
      let seen = '';
      server.on('data', (chunk: Buffer) => {
        seen += chunk.toString('latin1');
        if (seen.endsWith('\r\n\r\n')) server.end('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nin memory');
      });
      return client;
    };
    const transport = createHttp1Transport({ connector });
    try {
      const response = await transport.request(createRequest({ url: 'https://example.test/x' }));
      expect(await response.body.text()).toBe('in memory');
      expect(targets).toEqual(['https://example.test:443']);
      expect(response.meta.connection?.remoteAddress).toBeUndefined();
    } finally {
      await transport.close();
    }
    expect(transport.openConnections).toBe(0);
  });

  it('lets the total deadline bound the connect when it is the nearer one', async () => {
    const never = (() => undefined) as unknown as LookupFunction;
    const clock = createManualClock();
    const transport = createHttp1Transport({
      connector: tcpConnector({ lookup: never }),
      clock,
      timeouts: { total: 100 },
    });
    try {
      const pending = transport.request(createRequest({ url: 'http://slow.test/' }));
      await new Promise((resolve) => setImmediate(resolve));
      clock.advance(100);
      const error = await pending.catch((caught: unknown) => caught as HttpClientError);
      expect(error).toMatchObject({ code: 'TIMEOUT', phase: 'total', requestSent: false, method: 'GET' });
      expect(clock.pendingTimers()).toBe(0);
    } finally {
      await transport.close();
    }
  });
});

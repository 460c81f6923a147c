import net from 'node:net';
import { createManualClock, HttpClientError } from '@x/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { tlsConnector } from '../src/index.js';
import { createLeaf, createTestPki, type Issued, type TestPki } from './certs.js';
import { closeStream, echo, startTlsServer, type TestServer } from './tls-server.js';

let pki: TestPki;
let leaf: Issued;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  pki = await createTestPki();
  leaf = await createLeaf(pki.intermediate, { dns: ['localhost'] });
});

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function tlsServer(options: {
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
}) {
  const server: TestServer = await startTlsServer({ leaf, chain: [pki.intermediate], ...options });
  cleanups.push(() => server.close());
  return server;
}

/** A plain TCP server: `onSocket` decides what a non-TLS or silent peer does. */
async function tcpServer(onSocket: (socket: net.Socket) => void) {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  let received = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      received += chunk.length;
    });
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: address.port, accepted: () => accepted, open: () => sockets.size, received: () => received };
}

function options() {
  return { trust: { mode: 'replace' as const, ca: pki.root.certPem } };
}

async function failure(promise: Promise<unknown>): Promise<HttpClientError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(HttpClientError.is(error)).toBe(true);
  const typed = error as HttpClientError;
  expect(typed.requestSent).toBe(false);
  return typed;
}

describe('protocol versions', () => {
  it('negotiates TLS 1.2 by default when the server offers no more', async () => {
    const server = await tlsServer({ maxVersion: 'TLSv1.2' });
    const socket = await tlsConnector(options())(
      { scheme: 'https', host: 'localhost', port: server.port },
      {},
    );
    try {
      expect(await echo(socket, 'v12')).toBe('v12');
    } finally {
      await closeStream(socket);
    }
  });

  it('refuses a server below the policy minimum, naming the protocol version', async () => {
    const server = await tlsServer({ maxVersion: 'TLSv1.2' });
    const error = await failure(
      tlsConnector({ ...options(), minVersion: 'TLSv1.3' })(
        { scheme: 'https', host: 'localhost', port: server.port },
        {},
      ),
    );
    expect(error.code).toBe('TLS_FAILED');
    expect(error.details.check).toBe('protocol-version');
    expect(server.applicationBytes()).toBe(0);
  });

  it('refuses a TLS 1.3-only server when the policy caps at TLS 1.2', async () => {
    const server = await tlsServer({ minVersion: 'TLSv1.3' });
    const error = await failure(
      tlsConnector({ ...options(), maxVersion: 'TLSv1.2' })(
        { scheme: 'https', host: 'localhost', port: server.port },
        {},
      ),
    );
    expect(error.details.check).toBe('protocol-version');
  });
});

describe('connect and handshake failures', () => {
  it('reports CONNECT_FAILED for a refused port', async () => {
    const probe = await tcpServer(() => undefined);
    const port = probe.port;
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
    const error = await failure(tlsConnector(options())({ scheme: 'https', host: '127.0.0.1', port }, {}));
    expect(error.code).toBe('CONNECT_FAILED');
    expect(error.details.code).toBe('ECONNREFUSED');
  });

  it('reports a handshake failure for a server that does not speak TLS, and closes the socket', async () => {
    const server = await tcpServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    });
    const error = await failure(
      tlsConnector(options())({ scheme: 'https', host: 'localhost', port: server.port }, {}),
    );
    expect(error.code).toBe('TLS_FAILED');
    expect(error.details.check).toBe('handshake');
    await vi.waitFor(() => expect(server.open()).toBe(0));
  });

  it('reports a handshake failure for a server that closes at once', async () => {
    const server = await tcpServer((socket) => socket.destroy());
    const error = await failure(
      tlsConnector(options())({ scheme: 'https', host: 'localhost', port: server.port }, {}),
    );
    expect(error.code).toBe('TLS_FAILED');
    expect(error.details.check).toBe('handshake');
  });

  it('refuses http: targets instead of connecting in plain text', async () => {
    const server = await tcpServer(() => undefined);
    const error = await failure(
      tlsConnector(options())({ scheme: 'http', host: '127.0.0.1', port: server.port }, {}),
    );
    expect(error.code).toBe('INVALID_REQUEST');
    expect(server.accepted()).toBe(0);
  });
});

describe('timeouts and abort', () => {
  it('times out a silent server after handshakeTimeout, leaving no socket or timer', async () => {
    const server = await tcpServer(() => undefined);
    const clock = createManualClock();
    const pending = failure(
      tlsConnector({ ...options(), handshakeTimeout: 5_000, clock })(
        { scheme: 'https', host: 'localhost', port: server.port },
        {},
      ),
    );
    await vi.waitFor(() => expect(server.received()).toBeGreaterThan(0));
    clock.advance(4_999);
    clock.advance(1);
    const error = await pending;
    expect(error.code).toBe('TIMEOUT');
    expect(error.phase).toBe('connect');
    expect(error.details.stage).toBe('tls-handshake');
    expect(clock.pendingTimers()).toBe(0);
    await vi.waitFor(() => expect(server.open()).toBe(0));
  });

  it('applies the caller deadline (ConnectOptions.timeout) to the whole connect', async () => {
    const server = await tcpServer(() => undefined);
    const clock = createManualClock();
    const pending = failure(
      tlsConnector(options())(
        { scheme: 'https', host: 'localhost', port: server.port },
        { timeout: 750, clock },
      ),
    );
    await vi.waitFor(() => expect(server.received()).toBeGreaterThan(0));
    clock.advance(750);
    const error = await pending;
    expect(error.code).toBe('TIMEOUT');
    expect(error.details.stage).toBe('connect');
    expect(clock.pendingTimers()).toBe(0);
    await vi.waitFor(() => expect(server.open()).toBe(0));
  });

  it('aborts during the handshake with the signal reason, freeing the socket and timers', async () => {
    const server = await tcpServer(() => undefined);
    const clock = createManualClock();
    const controller = new AbortController();
    const pending = failure(
      tlsConnector({ ...options(), clock })(
        { scheme: 'https', host: 'localhost', port: server.port },
        { signal: controller.signal },
      ),
    );
    await vi.waitFor(() => expect(server.received()).toBeGreaterThan(0));
    controller.abort('user left');
    const error = await pending;
    expect(error.code).toBe('ABORTED');
    expect(error.cause).toBe('user left');
    expect(clock.pendingTimers()).toBe(0);
    await vi.waitFor(() => expect(server.open()).toBe(0));
  });

  it('does not connect at all for an already aborted signal', async () => {
    const server = await tcpServer(() => undefined);
    const error = await failure(
      tlsConnector(options())(
        { scheme: 'https', host: 'localhost', port: server.port },
        { signal: AbortSignal.abort('early') },
      ),
    );
    expect(error.code).toBe('ABORTED');
    expect(server.accepted()).toBe(0);
  });

  it('cancels its timers once connected, so nothing fires on a live connection', async () => {
    const server = await tlsServer({});
    const clock = createManualClock();
    const socket = await tlsConnector({ ...options(), clock })(
      { scheme: 'https', host: 'localhost', port: server.port },
      {},
    );
    try {
      expect(clock.pendingTimers()).toBe(0);
      clock.advance(60_000);
      expect(await echo(socket, 'alive')).toBe('alive');
    } finally {
      await closeStream(socket);
    }
  });
});

import { createServer as createNetServer, type LookupFunction, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { type ConnectTarget, createManualClock } from '@x/core';
import { failure, selfSignedCertificate } from '@x/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { tcpConnector, tlsConnector } from '../src/index.js';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** A port with nothing listening: bind, read the port, close. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const target = (host: string, port: number, scheme: 'http' | 'https' = 'http'): ConnectTarget => ({
  scheme,
  host,
  port,
});

describe('tcpConnector', () => {
  it('connects with Nagle off and leaves a usable socket', async () => {
    const accepted: Socket[] = [];
    const server = createNetServer((socket) => accepted.push(socket));
    const port = await listen(server);
    try {
      const socket = await tcpConnector()(target('127.0.0.1', port), {});
      expect(socket.writable).toBe(true);
      socket.destroy();
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('maps a refused connection to CONNECT_FAILED, not sent', async () => {
    const error = await failure(tcpConnector()(target('127.0.0.1', await closedPort()), {}));
    expect(error).toMatchObject({
      code: 'CONNECT_FAILED',
      requestSent: false,
      details: { systemCode: 'ECONNREFUSED' },
    });
  });

  it('maps a resolution failure to DNS_FAILED', async () => {
    const lookup = ((
      hostname: string,
      _options: unknown,
      callback: (error: NodeJS.ErrnoException) => void,
    ) => {
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      process.nextTick(() => callback(error));
    }) as unknown as LookupFunction;
    const error = await failure(tcpConnector({ lookup })(target('no-such-host.test', 80), {}));
    expect(error).toMatchObject({ code: 'DNS_FAILED', requestSent: false });
  });

  it('times out the connect phase and aborts, leaving nothing pending', async () => {
    // A resolver that never answers keeps the connect pending without touching the network.
    const lookup = (() => undefined) as unknown as LookupFunction;
    const clock = createManualClock();
    const pending = tcpConnector({ lookup })(target('slow.test', 80), { timeout: 300, clock });
    clock.advance(300);
    expect(await failure(pending)).toMatchObject({ code: 'TIMEOUT', phase: 'connect', requestSent: false });
    expect(clock.pendingTimers()).toBe(0);

    const controller = new AbortController();
    const aborted = tcpConnector({ lookup })(target('slow.test', 80), {
      signal: controller.signal,
      timeout: 60_000,
      clock,
    });
    controller.abort(new Error('user'));
    const error = await failure(aborted);
    expect(error).toMatchObject({ code: 'ABORTED', requestSent: false });
    expect((error.cause as Error).message).toBe('user');
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('tlsConnector', () => {
  let key = '';
  let cert = '';

  beforeAll(() => {
    ({ key, cert } = selfSignedCertificate({ commonName: 'localhost', subjectAltName: 'DNS:localhost' }));
  });

  async function withTlsServer(run: (port: number) => Promise<void>) {
    const sockets = new Set<Socket>();
    const server = createTlsServer({ key, cert, ALPNProtocols: ['http/1.1'] }, (socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    server.on('tlsClientError', () => undefined);
    const port = await listen(server);
    try {
      await run(port);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  it('verifies by default: a self-signed certificate is TLS_FAILED naming the check', async () => {
    await withTlsServer(async (port) => {
      const error = await failure(
        tlsConnector()({ scheme: 'https', host: '127.0.0.1', port, servername: 'localhost' }, {}),
      );
      expect(error).toMatchObject({ code: 'TLS_FAILED', requestSent: false });
      expect(error.details.check).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    });
  });

  it('keeps verifying when NODE_TLS_REJECT_UNAUTHORIZED=0 is set in the environment', async () => {
    const previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      await withTlsServer(async (port) => {
        const error = await failure(
          tlsConnector()({ scheme: 'https', host: '127.0.0.1', port, servername: 'localhost' }, {}),
        );
        expect(error).toMatchObject({ code: 'TLS_FAILED', requestSent: false });
      });
    } finally {
      if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous;
    }
  });

  it('checks the host name against the certificate', async () => {
    await withTlsServer(async (port) => {
      const error = await failure(
        tlsConnector({ ca: cert })(
          { scheme: 'https', host: '127.0.0.1', port, servername: 'other.test' },
          {},
        ),
      );
      expect(error).toMatchObject({ code: 'TLS_FAILED', details: { check: 'ERR_TLS_CERT_ALTNAME_INVALID' } });
    });
  });

  it('connects when the certificate is trusted and the name matches', async () => {
    await withTlsServer(async (port) => {
      const socket = await tlsConnector({ ca: cert })(
        { scheme: 'https', host: '127.0.0.1', port, servername: 'localhost' },
        {},
      );
      expect((socket as import('node:tls').TLSSocket).alpnProtocol).toBe('http/1.1');
      socket.destroy();
    });
  });

  it('tells a refused TCP connect apart from a TLS failure', async () => {
    const error = await failure(tlsConnector()(target('127.0.0.1', await closedPort(), 'https'), {}));
    expect(error.code).toBe('CONNECT_FAILED');
  });
});

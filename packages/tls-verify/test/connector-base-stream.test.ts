import net from 'node:net';
import type { Duplex } from 'node:stream';
import { type ConnectOptions, type ConnectTarget, HttpClientError } from '@x/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tlsConnector } from '../src/index.js';
import { createLeaf, createTestPki, type Issued, type TestPki } from './certs.js';
import { closeStream, echo, startTlsServer, type TestServer } from './tls-server.js';

// `connect` lets TLS run over a stream someone else made (a proxy's CONNECT
// tunnel): the verdict, SNI and session key stay those of the target.

let pki: TestPki;
let leaf: Issued;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  pki = await createTestPki();
  leaf = await createLeaf(pki.intermediate, { dns: ['origin.test'] });
});

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function server(): Promise<TestServer> {
  const started = await startTlsServer({ leaf, chain: [pki.intermediate] });
  cleanups.push(() => started.close());
  return started;
}

/** A base-stream factory that reaches `port` on loopback whatever the target says, and records calls. */
function loopbackTo(port: number) {
  const calls: Array<{ target: ConnectTarget; options: ConnectOptions }> = [];
  const connect = (target: ConnectTarget, options: ConnectOptions) => {
    calls.push({ target, options });
    return new Promise<Duplex>((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
    });
  };
  return { connect, calls };
}

const trust = () => ({ mode: 'replace' as const, ca: pki.root.certPem });

describe('tlsConnector({ connect }): TLS over a given stream', () => {
  it('verifies the target name and sends its SNI over the stream the factory made', async () => {
    const origin = await server();
    const base = loopbackTo(origin.port);
    const connect = tlsConnector({ trust: trust(), connect: base.connect });
    const stream = await connect(
      { scheme: 'https', host: 'origin.test', port: 443, servername: 'origin.test' },
      { timeout: 5_000 },
    );
    expect(await echo(stream, 'ping')).toBe('ping');
    await closeStream(stream);
    expect(base.calls).toHaveLength(1);
    expect(base.calls[0]?.target.host).toBe('origin.test');
    expect(base.calls[0]?.options.signal).toBeInstanceOf(AbortSignal);
    expect(origin.connections[0]?.servername).toBe('origin.test');
  });

  it('fails the hostname check when the target is not a name of the certificate', async () => {
    const origin = await server();
    const connect = tlsConnector({ trust: trust(), connect: loopbackTo(origin.port).connect });
    const error = await connect(
      { scheme: 'https', host: 'other.test', port: 443, servername: 'other.test' },
      { timeout: 5_000 },
    ).catch((caught: unknown) => caught);
    expect(HttpClientError.is(error, 'TLS_FAILED')).toBe(true);
    expect((error as HttpClientError).details.check).toBe('hostname');
    expect(origin.applicationBytes()).toBe(0);
  });

  it('passes the factory’s HttpClientError through unchanged', async () => {
    const refused = new HttpClientError('CONNECT_FAILED', 'proxy said no', {
      requestSent: false,
      details: { proxyStatus: 407 },
    });
    const connect = tlsConnector({ trust: trust(), connect: () => Promise.reject(refused) });
    const error = await connect({ scheme: 'https', host: 'origin.test', port: 443 }, {}).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBe(refused);
  });

  it('aborts the factory’s attempt when the caller aborts, and destroys a stream that arrives late', async () => {
    const origin = await server();
    let release: (() => void) | undefined;
    let factorySignal: AbortSignal | undefined;
    let lateStream: net.Socket | undefined;
    const connect = tlsConnector({
      trust: trust(),
      connect: (_target, options) => {
        factorySignal = options.signal;
        return new Promise<Duplex>((resolve) => {
          release = () => {
            lateStream = net.connect({ host: '127.0.0.1', port: origin.port });
            lateStream.once('connect', () => resolve(lateStream as net.Socket));
          };
        });
      },
    });
    const controller = new AbortController();
    const attempt = connect(
      { scheme: 'https', host: 'origin.test', port: 443 },
      { signal: controller.signal },
    );
    controller.abort(new Error('user gave up'));
    const error = await attempt.catch((caught: unknown) => caught);
    expect(HttpClientError.is(error, 'ABORTED')).toBe(true);
    expect(factorySignal?.aborted).toBe(true);
    release?.();
    await new Promise<void>((resolve) => {
      const check = () => (lateStream?.destroyed ? resolve() : setTimeout(check, 5));
      check();
    });
    expect(lateStream?.destroyed).toBe(true);
  });

  it('refuses a connect option that is not a function', () => {
    expect(() => tlsConnector({ connect: 'tunnel' as never })).toThrow(HttpClientError);
  });
});

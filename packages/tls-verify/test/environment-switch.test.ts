import tls from 'node:tls';
import { HttpClientError } from '@x/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tlsConnector } from '../src/index.js';
import { createLeaf, createTestPki, type Issued, type TestPki } from './certs.js';
import { closeStream, handshake, startTlsServer, type TestServer } from './tls-server.js';

/**
 * SECURITY.md rule 27: no environment switch turns verification off. Node's
 * own tls.connect reads NODE_TLS_REJECT_UNAUTHORIZED whenever a caller leaves
 * `rejectUnauthorized` unset; the control below shows the switch is live in
 * this process, so the refusals after it are the connector's doing.
 */

let pki: TestPki;
let good: Issued;
const servers: TestServer[] = [];
const saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED;

beforeAll(async () => {
  pki = await createTestPki();
  good = await createLeaf(pki.intermediate, { dns: ['localhost'], ip: ['127.0.0.1'] });
});

afterEach(async () => {
  if (saved === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  else process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved;
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(leaf: Issued): Promise<TestServer> {
  const server = await startTlsServer({ leaf, chain: [pki.intermediate] });
  servers.push(server);
  return server;
}

async function refusal(server: TestServer, options: Parameters<typeof tlsConnector>[0] = {}) {
  const error = await tlsConnector(options)(
    { scheme: 'https', host: 'localhost', port: server.port },
    {},
  ).then(
    async (stream) => {
      await closeStream(stream);
      return undefined;
    },
    (failure: unknown) => failure,
  );
  expect(HttpClientError.is(error, 'TLS_FAILED')).toBe(true);
  return error as HttpClientError;
}

describe('NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment', () => {
  it('is live here: a plain tls.connect that leaves rejectUnauthorized unset accepts an untrusted root', async () => {
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    const server = await serve(good);
    const plain = tls.connect({ host: '127.0.0.1', port: server.port, servername: 'localhost' });
    try {
      await handshake(plain);
      expect(plain.authorized).toBe(false);
    } finally {
      await closeStream(plain);
    }
  });

  it('does not make the connector accept an untrusted root', async () => {
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    const server = await serve(good);
    const error = await refusal(server);
    expect(error.details.check).toBe('untrusted-root');
    expect(server.applicationBytes()).toBe(0);
  });

  it('does not make the connector accept a certificate for another host', async () => {
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    const server = await serve(await createLeaf(pki.intermediate, { dns: ['other.example'] }));
    const error = await refusal(server, { trust: { mode: 'replace', ca: pki.root.certPem } });
    expect(error.details.check).toBe('hostname');
    expect(server.applicationBytes()).toBe(0);
  });
});

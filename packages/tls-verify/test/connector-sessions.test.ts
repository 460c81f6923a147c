import { getConnectionMeta, HttpClientError } from '@x/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSessionCache, type TlsConnector, tlsConnector } from '../src/index.js';
import { createLeaf, createTestPki, type Issued, type TestPki } from './certs.js';
import { closeStream, echo, startTlsServer, type TestServer } from './tls-server.js';

let pki: TestPki;
let leaf: Issued;
const servers: TestServer[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  leaf = await createLeaf(pki.intermediate, { dns: ['localhost'] });
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(options: { maxVersion?: 'TLSv1.2' | 'TLSv1.3'; serverLeaf?: Issued } = {}) {
  const server = await startTlsServer({
    leaf: options.serverLeaf ?? leaf,
    chain: [pki.intermediate],
    ...(options.maxVersion === undefined ? {} : { maxVersion: options.maxVersion }),
  });
  servers.push(server);
  return server;
}

/** Connects and echoes, so TLS 1.3 tickets (sent after the handshake) arrive before closing. */
async function roundTrip(connector: TlsConnector, server: TestServer) {
  const socket = await connector({ scheme: 'https', host: 'localhost', port: server.port }, {});
  try {
    expect(await echo(socket, 'hello')).toBe('hello');
    return getConnectionMeta(socket)?.tls;
  } finally {
    await closeStream(socket);
  }
}

const replaceWith = (ca: string) => ({ trust: { mode: 'replace' as const, ca } });

describe('session resumption', () => {
  for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
    it(`resumes a verified session on the next connection (${maxVersion}), seen from the server`, async () => {
      const server = await serve({ maxVersion });
      const connector = tlsConnector(replaceWith(pki.root.certPem));
      const first = await roundTrip(connector, server);
      expect(first?.resumed).toBe(false);
      expect(connector.sessionCache?.size).toBe(1);
      const second = await roundTrip(connector, server);
      expect(server.connections.map((connection) => connection.resumed)).toEqual([false, true]);
      expect(second?.resumed).toBe(true);
      expect(second?.protocol).toBe(maxVersion);
      // The stored verdict is reported again: the chain and matched name of the full handshake.
      expect(second?.peerChain).toEqual(first?.peerChain);
      expect(second?.matchedName).toBe('DNS:localhost');
    });
  }

  it('never resumes across policies sharing one cache, and refuses under the other trust store', async () => {
    const server = await serve();
    const sessionCache = createSessionCache();
    const trusting = tlsConnector({ ...replaceWith(pki.root.certPem), sessionCache });
    await roundTrip(trusting, server);
    await roundTrip(trusting, server);
    expect(server.connections.map((connection) => connection.resumed)).toEqual([false, true]);

    const extending = tlsConnector({ trust: { mode: 'extend', ca: pki.root.certPem }, sessionCache });
    expect(extending.policyKey).not.toBe(trusting.policyKey);
    const meta = await roundTrip(extending, server);
    expect(meta?.resumed).toBe(false);
    expect(server.connections[2]?.resumed).toBe(false);

    // Node alone would resume the first policy's session under this store; we make a full verdict.
    const bytesBefore = server.applicationBytes();
    const before = server.connections.length;
    const distrusting = tlsConnector({ ...replaceWith(pki.otherRoot.certPem), sessionCache });
    const error = await distrusting({ scheme: 'https', host: 'localhost', port: server.port }, {}).catch(
      (failure: unknown) => failure,
    );
    expect(HttpClientError.is(error, 'TLS_FAILED')).toBe(true);
    expect((error as HttpClientError).details.check).toBe('untrusted-root');
    // A full handshake: the server presented its certificate (a resumed session presents none).
    expect((error as HttpClientError).details.chain).toMatchObject([
      { fingerprint256: leaf.fingerprint256 },
      {},
    ]);
    expect(server.connections.slice(before).some((connection) => connection.resumed)).toBe(false);
    expect(server.applicationBytes()).toBe(bytesBefore);
  });

  it('never lets a session stored under insecureSkipVerify skip verification for another connector', async () => {
    const untrusted = await serve({ serverLeaf: await createLeaf(pki.otherRoot, { dns: ['localhost'] }) });
    const sessionCache = createSessionCache();
    const insecure = tlsConnector({ insecureSkipVerify: true, sessionCache });
    await roundTrip(insecure, untrusted);
    expect((await roundTrip(insecure, untrusted))?.resumed).toBe(true);
    const before = untrusted.connections.length;
    const strict = tlsConnector({ ...replaceWith(pki.root.certPem), sessionCache });
    const error = await strict({ scheme: 'https', host: 'localhost', port: untrusted.port }, {}).catch(
      (failure: unknown) => failure,
    );
    expect((error as HttpClientError).details.check).toBe('untrusted-root');
    // A full handshake: the server presented its chain (a resumed session presents none).
    expect((error as HttpClientError).details.chain).toMatchObject([{ subject: 'CN=leaf' }]);
    expect(untrusted.connections.slice(before).some((connection) => connection.resumed)).toBe(false);
  });

  it('never stores a session from a connection that failed the verdict', async () => {
    const wrongHost = await serve({
      serverLeaf: await createLeaf(pki.intermediate, { dns: ['elsewhere.example'] }),
    });
    const connector = tlsConnector(replaceWith(pki.root.certPem));
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await connector({ scheme: 'https', host: 'localhost', port: wrongHost.port }, {}).catch(
        (failure: unknown) => failure,
      );
      expect((error as HttpClientError).details.check).toBe('hostname');
    }
    expect(connector.sessionCache?.size).toBe(0);
    expect(wrongHost.connections.every((connection) => !connection.resumed)).toBe(true);
    expect(wrongHost.applicationBytes()).toBe(0);
  });

  it('does not resume for another origin or when resumption is off', async () => {
    const first = await serve();
    const second = await serve();
    const connector = tlsConnector(replaceWith(pki.root.certPem));
    await roundTrip(connector, first);
    await roundTrip(connector, second);
    expect(second.connections[0]?.resumed).toBe(false);
    expect(connector.sessionCache?.size).toBe(2);

    const noCache = tlsConnector({ ...replaceWith(pki.root.certPem), sessionCache: false });
    await roundTrip(noCache, first);
    const meta = await roundTrip(noCache, first);
    expect(meta?.resumed).toBe(false);
    expect(noCache.sessionCache).toBeUndefined();
  });
});

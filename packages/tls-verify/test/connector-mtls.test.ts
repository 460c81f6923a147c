import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClientError } from '@x/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type TlsConnectorOptions, tlsConnector } from '../src/index.js';
import { createLeaf, createRoot, createTestPki, type Issued, type TestPki } from './certs.js';
import { closeStream, echo, startTlsServer, type TestServer } from './tls-server.js';

let pki: TestPki;
let serverLeaf: Issued;
let clientLeaf: Issued;
let strangerClient: Issued;
const servers: TestServer[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  serverLeaf = await createLeaf(pki.intermediate, { dns: ['localhost'] });
  clientLeaf = await createLeaf(pki.root, { commonName: 'client', clientAuth: true });
  strangerClient = await createLeaf(await createRoot('Stranger'), {
    commonName: 'stranger',
    clientAuth: true,
  });
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serveMutual(maxVersion: 'TLSv1.2' | 'TLSv1.3' = 'TLSv1.3'): Promise<TestServer> {
  const server = await startTlsServer({
    leaf: serverLeaf,
    chain: [pki.intermediate],
    clientCa: pki.root,
    maxVersion,
  });
  servers.push(server);
  return server;
}

const base = (): TlsConnectorOptions => ({ trust: { mode: 'replace', ca: pki.root.certPem } });

async function connectAndEcho(options: TlsConnectorOptions, server: TestServer): Promise<void> {
  const socket = await tlsConnector(options)({ scheme: 'https', host: 'localhost', port: server.port }, {});
  try {
    expect(await echo(socket, 'mutual')).toBe('mutual');
  } finally {
    await closeStream(socket);
  }
}

/** PKCS#12 from the openssl CLI (Node cannot write one); the files live in a temp folder removed at once. */
function toPkcs12(issued: Issued, passphrase: string): Uint8Array {
  const folder = mkdtempSync(join(tmpdir(), 'x-tls-p12-'));
  try {
    writeFileSync(join(folder, 'cert.pem'), issued.certPem);
    writeFileSync(join(folder, 'key.pem'), issued.keyPem);
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-in',
      join(folder, 'cert.pem'),
      '-inkey',
      join(folder, 'key.pem'),
      '-passout',
      `pass:${passphrase}`,
      '-out',
      join(folder, 'client.p12'),
    ]);
    return new Uint8Array(readFileSync(join(folder, 'client.p12')));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('client certificates (mTLS)', () => {
  it('is accepted with a PEM certificate and key', async () => {
    const server = await serveMutual();
    await connectAndEcho(
      { ...base(), clientCertificate: { cert: clientLeaf.certPem, key: clientLeaf.keyPem } },
      server,
    );
    expect(server.connections[0]?.clientAuthorized).toBe(true);
    expect(server.applicationBytes()).toBe(6);
  });

  it('is accepted from a PKCS#12 bundle with its passphrase', async () => {
    const server = await serveMutual();
    const pfx = toPkcs12(clientLeaf, 'correct horse');
    await connectAndEcho({ ...base(), clientCertificate: { pfx, passphrase: 'correct horse' } }, server);
    expect(server.connections[0]?.clientAuthorized).toBe(true);
  });

  it('refuses a PKCS#12 bundle with the wrong passphrase when the connector is made', () => {
    const pfx = toPkcs12(clientLeaf, 'correct horse');
    let error: unknown;
    try {
      tlsConnector({ ...base(), clientCertificate: { pfx, passphrase: 'wrong' } });
    } catch (failure) {
      error = failure;
    }
    expect(HttpClientError.is(error, 'INVALID_REQUEST')).toBe(true);
    expect((error as HttpClientError).details.option).toBe('clientCertificate');
  });

  it('is refused by a TLS 1.2 server without a certificate: handshake-alert, nothing sent', async () => {
    const server = await serveMutual('TLSv1.2');
    const error = await tlsConnector(base())(
      { scheme: 'https', host: 'localhost', port: server.port },
      {},
    ).catch((failure: unknown) => failure);
    expect(HttpClientError.is(error, 'TLS_FAILED')).toBe(true);
    expect((error as HttpClientError).details.check).toBe('handshake-alert');
    expect(server.connections).toHaveLength(0);
    expect(server.clientErrors.length).toBeGreaterThan(0);
  });

  it('is refused by a TLS 1.2 server for a client certificate from another CA, nothing sent', async () => {
    const server = await serveMutual('TLSv1.2');
    const options = {
      ...base(),
      clientCertificate: { cert: strangerClient.certPem, key: strangerClient.keyPem },
    };
    const error = await tlsConnector(options)(
      { scheme: 'https', host: 'localhost', port: server.port },
      {},
    ).catch((failure: unknown) => failure);
    // Node's TLS 1.2 server drops the connection without an alert here.
    expect((error as HttpClientError).details.check).toBe('handshake');
    expect((error as HttpClientError).message).toContain('closed the connection during the handshake');
    expect(server.applicationBytes()).toBe(0);
  });

  it('under TLS 1.3 the refusal arrives after the handshake: the stream fails and the server reads nothing', async () => {
    // TLS 1.3 (RFC 8446 §4.4.2) lets the client finish before the server judges its certificate,
    // so the connector resolves and the server's certificate_required alert ends the stream.
    const server = await serveMutual('TLSv1.3');
    const socket = await tlsConnector(base())({ scheme: 'https', host: 'localhost', port: server.port }, {});
    const failure = await echo(socket, 'secret').catch((error: unknown) => error);
    await closeStream(socket);
    expect((failure as NodeJS.ErrnoException).code).toMatch(/ALERT/);
    expect(server.applicationBytes()).toBe(0);
    expect(server.connections).toHaveLength(0);
  });
});

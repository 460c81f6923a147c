import tls from 'node:tls';
import { type ConnectTarget, getConnectionMeta, HttpClientError } from '@x/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TlsConnectorOptions, tlsConnector } from '../src/index.js';
import { createLeaf, createTestPki, days, type Issued, type TestPki } from './certs.js';
import { closeStream, echo, handshake, startTlsServer, type TestServer } from './tls-server.js';

let pki: TestPki;
let good: Issued;
const servers: TestServer[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  good = await createLeaf(pki.intermediate, { dns: ['localhost'], ip: ['127.0.0.1', '::1'] });
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(leaf: Issued, host: '127.0.0.1' | '::1' = '127.0.0.1'): Promise<TestServer> {
  const server = await startTlsServer({ leaf, chain: [pki.intermediate], host });
  servers.push(server);
  return server;
}

function target(server: TestServer, host = 'localhost', servername?: string): ConnectTarget {
  return { scheme: 'https', host, port: server.port, servername };
}

const trustTestRoot = (): TlsConnectorOptions => ({ trust: { mode: 'replace', ca: pki.root.certPem } });

/** Connects, exchanges bytes, closes; returns the TLS metadata. */
async function connectAndEcho(options: TlsConnectorOptions, to: ConnectTarget) {
  const socket = await tlsConnector(options)(to, {});
  try {
    expect(await echo(socket, 'ping')).toBe('ping');
    return getConnectionMeta(socket)?.tls;
  } finally {
    await closeStream(socket);
  }
}

/** Expects TLS_FAILED with `check`, and that the server never received an application byte. */
async function expectRefused(
  options: TlsConnectorOptions,
  server: TestServer,
  to: ConnectTarget,
  check: string,
): Promise<HttpClientError> {
  const bytesBefore = server.applicationBytes();
  const error = await tlsConnector(options)(to, {}).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(HttpClientError.is(error, 'TLS_FAILED')).toBe(true);
  const failure = error as HttpClientError;
  expect(failure.details.check).toBe(check);
  expect(failure.requestSent).toBe(false);
  expect(server.applicationBytes()).toBe(bytesBefore);
  // The refused connection is closed on the server side too: nothing leaks.
  await vi.waitFor(() => expect(server.openSockets()).toBe(0));
  return failure;
}

describe('chain verification', () => {
  it('accepts a chain to a root given with trust mode "replace", and reports the session', async () => {
    const server = await serve(good);
    const meta = await connectAndEcho(trustTestRoot(), target(server));
    expect(meta).toMatchObject({
      protocol: 'TLSv1.3',
      alpnProtocol: 'http/1.1',
      resumed: false,
      verification: 'verified',
      servername: 'localhost',
      matchedName: 'DNS:localhost',
    });
    expect(meta?.cipher).toMatch(/^TLS_/);
    expect(meta?.peerChain.map((certificate) => certificate.subject)).toEqual([
      'CN=leaf',
      'CN=x-http Test Intermediate',
      'CN=x-http Test Root',
    ]);
    expect(meta?.peerChain[0]?.fingerprint256).toBe(good.fingerprint256);
    expect(server.connections[0]?.servername).toBe('localhost');
    expect(server.applicationBytes()).toBe(4);
  });

  it('refuses a private root with the default store, naming the check and the chain', async () => {
    const server = await serve(good);
    const error = await expectRefused({}, server, target(server), 'untrusted-root');
    expect(error.message).toContain('CN=leaf');
    expect(error.message).toContain(good.fingerprint256);
    expect(error.details.reasonCode).toMatch(/ISSUER|SELF_SIGNED/);
  });

  it('accepts the private root in trust mode "extend" and refuses it in "replace" with another root', async () => {
    const server = await serve(good);
    const meta = await connectAndEcho({ trust: { mode: 'extend', ca: pki.root.certPem } }, target(server));
    expect(meta?.verification).toBe('verified');
    await expectRefused(
      { trust: { mode: 'replace', ca: pki.otherRoot.certPem } },
      server,
      target(server),
      'untrusted-root',
    );
  });

  it('refuses a leaf signed by an unrelated root even when the test root is trusted', async () => {
    const stranger = await createLeaf(pki.otherRoot, { dns: ['localhost'] });
    const server = await startTlsServer({ leaf: stranger });
    servers.push(server);
    await expectRefused(trustTestRoot(), server, target(server), 'untrusted-root');
  });

  it('leaves process-wide trust alone: a plain tls.connect still rejects the private root', async () => {
    const server = await serve(good);
    await connectAndEcho({ trust: { mode: 'extend', ca: pki.root.certPem } }, target(server));
    const plain = tls.connect({
      host: '127.0.0.1',
      port: server.port,
      servername: 'localhost',
      rejectUnauthorized: false,
    });
    try {
      await handshake(plain);
      expect(plain.authorized).toBe(false);
    } finally {
      await closeStream(plain);
    }
  });

  it('refuses a leaf whose extended key usage does not allow server authentication', async () => {
    const clientOnly = await serve(
      await createLeaf(pki.intermediate, { dns: ['localhost'], clientAuth: true }),
    );
    const error = await expectRefused(trustTestRoot(), clientOnly, target(clientOnly), 'chain');
    expect(error.details.reasonCode).toBe('INVALID_PURPOSE');
  });

  it('refuses an expired leaf and a not-yet-valid leaf, each by name', async () => {
    const expired = await serve(
      await createLeaf(pki.intermediate, { dns: ['localhost'], notBefore: days(-10), notAfter: days(-1) }),
    );
    const error = await expectRefused(trustTestRoot(), expired, target(expired), 'expired');
    expect(error.details.reasonCode).toBe('CERT_HAS_EXPIRED');
    const early = await serve(
      await createLeaf(pki.intermediate, { dns: ['localhost'], notBefore: days(1), notAfter: days(10) }),
    );
    await expectRefused(trustTestRoot(), early, target(early), 'not-yet-valid');
  });
});

describe('hostname verification', () => {
  it('refuses a wrong-host leaf and lists the names it presented', async () => {
    const server = await serve(
      await createLeaf(pki.intermediate, { dns: ['other.example', 'www.other.example'] }),
    );
    const error = await expectRefused(trustTestRoot(), server, target(server), 'hostname');
    expect(error.message).toContain('DNS:other.example, DNS:www.other.example');
  });

  it('never falls back to the Common Name', async () => {
    const server = await serve(
      await createLeaf(pki.intermediate, { commonName: 'localhost', noSubjectAltName: true }),
    );
    const error = await expectRefused(trustTestRoot(), server, target(server), 'hostname');
    expect(error.message).toContain('Common Name is not used');
  });

  it('accepts a whole-label wildcard for one label only, never a partial one', async () => {
    const wildcard = await serve(await createLeaf(pki.intermediate, { dns: ['*.example.com'] }));
    const meta = await connectAndEcho(trustTestRoot(), target(wildcard, '127.0.0.1', 'bar.example.com'));
    expect(meta?.matchedName).toBe('DNS:*.example.com');
    expect(wildcard.connections[0]?.servername).toBe('bar.example.com');
    await expectRefused(
      trustTestRoot(),
      wildcard,
      target(wildcard, '127.0.0.1', 'a.bar.example.com'),
      'hostname',
    );
    await expectRefused(trustTestRoot(), wildcard, target(wildcard, '127.0.0.1', 'example.com'), 'hostname');

    const partial = await serve(await createLeaf(pki.intermediate, { dns: ['ba*.example.com'] }));
    await expectRefused(
      trustTestRoot(),
      partial,
      target(partial, '127.0.0.1', 'bar.example.com'),
      'hostname',
    );
  });

  it('matches case-insensitively and ignores a trailing dot', async () => {
    const server = await serve(await createLeaf(pki.intermediate, { dns: ['API.Example.COM.'] }));
    const meta = await connectAndEcho(trustTestRoot(), target(server, '127.0.0.1', 'api.example.com'));
    expect(meta?.matchedName).toBe('DNS:API.Example.COM.');
  });

  it('matches an IP literal only against IP SANs and sends no SNI for it', async () => {
    const server = await serve(good);
    const meta = await connectAndEcho(trustTestRoot(), target(server, '127.0.0.1'));
    expect(meta?.matchedName).toBe('IP:127.0.0.1');
    expect(meta?.servername).toBeUndefined();
    expect(server.connections[0]?.servername).toBe(false);

    // An IP given as servername is still checked as an IP and never sent as SNI (RFC 6066 §3).
    const asServername = await connectAndEcho(trustTestRoot(), target(server, '127.0.0.1', '127.0.0.1'));
    expect(asServername?.servername).toBeUndefined();
    expect(server.connections[1]?.servername).toBe(false);

    const dnsSpelledIp = await serve(await createLeaf(pki.intermediate, { dns: ['127.0.0.1', 'localhost'] }));
    const error = await expectRefused(
      trustTestRoot(),
      dnsSpelledIp,
      target(dnsSpelledIp, '127.0.0.1'),
      'hostname',
    );
    expect(error.message).toContain('matches no iPAddress subjectAltName');
  });

  it('matches IPv6 in any textual form', async () => {
    const server = await serve(good, '::1');
    const short = await connectAndEcho(trustTestRoot(), target(server, '::1'));
    expect(short?.matchedName).toBe('IP:0:0:0:0:0:0:0:1');
    const long = await connectAndEcho(trustTestRoot(), target(server, '0:0:0:0:0:0:0:1'));
    expect(long?.matchedName).toBe('IP:0:0:0:0:0:0:0:1');
    const ipv4Only = await serve(await createLeaf(pki.intermediate, { ip: ['127.0.0.1'] }), '::1');
    await expectRefused(trustTestRoot(), ipv4Only, target(ipv4Only, '::1'), 'hostname');
  });
});

describe('pins', () => {
  it('passes when any certificate of the verified chain has a pin, with a backup pin listed', async () => {
    const server = await serve(good);
    const meta = await connectAndEcho(
      { ...trustTestRoot(), pins: [{ host: 'localhost', pins: [pki.otherRoot.pin, pki.intermediate.pin] }] },
      target(server),
    );
    expect(meta?.matchedPin).toBe(pki.intermediate.pin);
    const rootPinned = await connectAndEcho(
      { ...trustTestRoot(), pins: [{ host: '**.localhost', pins: [pki.root.pin] }] },
      target(server),
    );
    expect(rootPinned?.matchedPin).toBe(pki.root.pin);
  });

  it('refuses a pin mismatch and lists the pins it saw', async () => {
    const server = await serve(good);
    const error = await expectRefused(
      { ...trustTestRoot(), pins: [{ host: 'localhost', pins: [pki.otherRoot.pin] }] },
      server,
      target(server),
      'pin',
    );
    expect(error.details.seenPins).toEqual([good.pin, pki.intermediate.pin, pki.root.pin]);
    expect(error.message).toContain(pki.otherRoot.pin);
  });

  it('applies pins only to the hosts they name', async () => {
    const server = await serve(good);
    const meta = await connectAndEcho(
      { ...trustTestRoot(), pins: [{ host: '*.localhost', pins: [pki.otherRoot.pin] }] },
      target(server),
    );
    expect(meta?.matchedPin).toBeUndefined();
  });
});

describe('after the connector resolves', () => {
  it('hands over a stream whose later errors reach its own listeners only', async () => {
    const server = await serve(good);
    const socket = await tlsConnector(trustTestRoot())(target(server), {});
    expect(await echo(socket, 'ping')).toBe('ping');
    const closed = new Promise<unknown>((resolve) => {
      socket.on('error', (error) => resolve(error));
      socket.on('close', () => resolve(undefined));
    });
    for (const serverSocket of server.rawSockets()) serverSocket.resetAndDestroy();
    await closed;
    await closeStream(socket);
    expect(socket.destroyed).toBe(true);
  });
});

describe('insecureSkipVerify', () => {
  it('connects to an untrusted wrong-host server and says so in the metadata', async () => {
    const server = await serve(await createLeaf(pki.otherRoot, { dns: ['nowhere.example'] }));
    const meta = await connectAndEcho({ insecureSkipVerify: true }, target(server));
    expect(meta?.verification).toBe('skipped');
    expect(meta?.matchedName).toBeUndefined();
  });

  it('cannot be turned on by anything but the boolean true', () => {
    const sneaky = { insecureSkipVerify: 'true' } as unknown as TlsConnectorOptions;
    expect(() => tlsConnector(sneaky)).toThrow(/insecureSkipVerify/);
    const server = { insecureSkipVerify: false };
    expect(tlsConnector(server).policyKey).toBe(tlsConnector({}).policyKey);
  });
});

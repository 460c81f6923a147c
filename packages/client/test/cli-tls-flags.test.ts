import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startForwardProxy, type TestProxy } from '@x/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificates } from './support/certs.js';
import { runCli as cli } from './support/run-cli.js';
import { eventually, startServer, type TestServer } from './support/servers.js';

/** RFC 7469 §2.4: base64 of the SHA-256 of the certificate's DER SubjectPublicKeyInfo. */
function spkiPinOf(certificatePem: string): string {
  const spki = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256/${createHash('sha256').update(spki).digest('base64')}`;
}

describe('x-http TLS flags in a subprocess', () => {
  let server: TestServer;
  let proxy: TestProxy;
  let guarded: TestProxy;
  let tlsProxy: TestProxy;
  let directory: string;
  let caFile: string;
  let pin: string;

  beforeAll(async () => {
    const certificates = await createTestCertificates();
    directory = await mkdtemp(join(tmpdir(), 'x-http-cli-tls-flags-'));
    caFile = join(directory, 'ca.pem');
    await writeFile(caFile, certificates.caPem);
    pin = spkiPinOf(certificates.certPem);
    server = await startServer(
      (request, response) => {
        if (request.url === '/elsewhere') {
          // Same certificate, another host name (the leaf names 127.0.0.1 and localhost).
          response.writeHead(302, { Location: `https://localhost:${server.port}/`, 'Content-Length': '0' });
          response.end();
          return;
        }
        response.end(`secure ${request.url}\n`);
      },
      { key: certificates.keyPem, cert: certificates.certPem },
    );
    proxy = await startForwardProxy({});
    guarded = await startForwardProxy({ requireAuthorization: 'Basic bm9ib2R5Om5vdGhpbmc=' });
    // An https:// proxy whose certificate only the test CA vouches for.
    tlsProxy = await startForwardProxy({
      tls: { certPem: certificates.certPem, keyPem: certificates.keyPem },
    });
  });

  afterAll(async () => {
    const idle = () => [server, proxy, guarded, tlsProxy].every((listener) => listener.openSockets() === 0);
    expect(await eventually(idle)).toBe(true);
    await server.close();
    await proxy.close();
    await guarded.close();
    await tlsProxy.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('--pin accepts the server key (also in curl form), fails another with exit 35', async () => {
    expect(await cli(['--cacert', caFile, '--pin', pin, `${server.origin}/pinned`])).toEqual({
      code: 0,
      stdout: 'secure /pinned\n',
      stderr: '',
    });
    const curlForm = pin.replace('sha256/', 'sha256//');
    expect((await cli(['--cacert', caFile, '--pinnedpubkey', curlForm, `${server.origin}/`])).code).toBe(0);
    const wrong = `sha256/${Buffer.alloc(32, 1).toString('base64')}`;
    const refused = await cli(['--cacert', caFile, '--pin', wrong, `${server.origin}/`]);
    expect(refused.code).toBe(35);
    expect(refused.stderr).toContain('TLS_FAILED');
    // A backup pin that does not match is fine as long as one does.
    expect((await cli(['--cacert', caFile, '--pin', `${wrong};${pin}`, `${server.origin}/`])).code).toBe(0);
  });

  it('with --pin, a redirect to another host is refused (exit 47); without, it is followed', async () => {
    const pinned = await cli(['--cacert', caFile, '--pin', pin, `${server.origin}/elsewhere`]);
    expect(pinned.code).toBe(47);
    expect(pinned.stderr).toContain('REDIRECT_REFUSED');
    const unpinned = await cli(['--cacert', caFile, `${server.origin}/elsewhere`]);
    expect(unpinned).toMatchObject({ code: 0, stdout: 'secure /\n' });
  });

  it('-x tunnels https: through CONNECT and verifies the origin with --cacert', async () => {
    const run = await cli(['-x', proxy.url, '--cacert', caFile, `${server.origin}/tunnelled`]);
    expect(run).toEqual({ code: 0, stdout: 'secure /tunnelled\n', stderr: '' });
    expect(proxy.seen.at(-1)).toMatchObject({ method: 'CONNECT', target: `127.0.0.1:${server.port}` });
    const untrusted = await cli(['-x', proxy.url, `${server.origin}/`]);
    expect(untrusted.code).toBe(35);
  });

  it('exits 97 when the proxy refuses the tunnel', async () => {
    const run = await cli(['-x', guarded.url, '--cacert', caFile, '--retry', '0', `${server.origin}/`]);
    expect(run.code).toBe(97);
    expect(run.stderr).toContain('PROXY_FAILED');
  });

  it('--proxy-cacert trusts an https:// proxy’s certificate, for forwarded and tunnelled requests', async () => {
    const plainOrigin = await startServer((request, response) => response.end(`plain ${request.url}\n`));
    try {
      const forwarded = await cli([
        '-x',
        tlsProxy.url,
        '--proxy-cacert',
        caFile,
        `${plainOrigin.origin}/via`,
      ]);
      expect(forwarded).toEqual({ code: 0, stdout: 'plain /via\n', stderr: '' });
      expect(tlsProxy.seen.at(-1)).toMatchObject({ method: 'GET', target: `${plainOrigin.origin}/via` });
      const tunnelled = await cli([
        '-x',
        tlsProxy.url,
        '--proxy-cacert',
        caFile,
        '--cacert',
        caFile,
        `${server.origin}/through`,
      ]);
      expect(tunnelled).toEqual({ code: 0, stdout: 'secure /through\n', stderr: '' });
      expect(tlsProxy.seen.at(-1)).toMatchObject({ method: 'CONNECT', target: `127.0.0.1:${server.port}` });
      // --cacert alone is for origins: the proxy's certificate is not trusted by it.
      const seen = tlsProxy.seen.length;
      const untrusted = await cli([
        '-x',
        tlsProxy.url,
        '--cacert',
        caFile,
        '--retry',
        '0',
        `${plainOrigin.origin}/`,
      ]);
      expect(untrusted.code).not.toBe(0);
      expect(untrusted.stdout).toBe('');
      expect(tlsProxy.seen.length).toBe(seen);
    } finally {
      await plainOrigin.close();
    }
  });

  it('--proxy-cacert needs an https:// proxy and a readable file', async () => {
    const plain = await cli(['-x', proxy.url, '--proxy-cacert', caFile, `${server.origin}/`]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('--proxy-cacert is for an https:// proxy');
    const missing = await cli([
      '-x',
      tlsProxy.url,
      '--proxy-cacert',
      join(directory, 'absent.pem'),
      `${server.origin}/`,
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--proxy-cacert: cannot read');
  });
});

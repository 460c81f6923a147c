import { HttpClientError } from '@x/core';
import { cleanupAfterEach, startSocks5Server, type TestSocksServer } from '@x/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDefaultConnector, createClient, resolveProxyOption } from '../src/index.js';
import { createTestCertificates, type TestCertificates } from './support/certs.js';
import { eventually, startServer, type TestServer } from './support/servers.js';

// The client's `proxy` option with a SOCKS5 proxy: the default stack over
// loopback sockets, the origins' TLS under the client's tls-verify policy.

let certificates: TestCertificates;
beforeAll(async () => {
  certificates = await createTestCertificates();
});

const cleanups = cleanupAfterEach();

/** Closed after the test, last made first: clients before servers, which must have no socket open by then. */
function closedAfter<T extends { close(): Promise<void>; openSockets?: () => number }>(value: T): T {
  cleanups.push(async () => {
    const open = value.openSockets;
    if (open !== undefined) expect(await eventually(() => open() === 0)).toBe(true);
    await value.close();
  });
  return value;
}

async function origin(tls = false): Promise<TestServer & { proxyFields: unknown[] }> {
  const proxyFields: unknown[] = [];
  const server = await startServer(
    (request, response) => {
      proxyFields.push(request.headers['proxy-authorization']);
      response.end(`${tls ? 'https' : 'http'} ${request.url}`);
    },
    tls ? { key: certificates.keyPem, cert: certificates.certPem } : undefined,
  );
  return Object.assign(closedAfter(server), { proxyFields });
}

async function socks(behaviour: Parameters<typeof startSocks5Server>[0]): Promise<TestSocksServer> {
  return closedAfter(await startSocks5Server(behaviour));
}

describe('a SOCKS5 proxy in the default stack', () => {
  it("takes one URL for both schemes: http: in origin-form, https: under the client's TLS policy", async () => {
    const plain = await origin();
    const secure = await origin(true);
    const server = await socks({
      hosts: { localhost: secure.port },
      requireCredentials: { username: 'user', password: 'secret' },
    });
    const client = closedAfter(
      createClient({
        proxy: `socks5h://user:secret@127.0.0.1:${server.port}`,
        tls: { trust: { mode: 'replace', ca: certificates.caPem } },
        retry: false,
      }),
    );
    const forwarded = await client.get(`http://127.0.0.1:${plain.port}/a`, {
      headers: { 'Proxy-Authorization': 'Basic caller-value' },
    });
    expect(await forwarded.body.text()).toBe('http /a');
    expect(forwarded.meta.proxy).toEqual({ url: `socks5h://127.0.0.1:${server.port}`, mode: 'socks' });
    // The test CA is trusted only by the client's tls-verify policy.
    for (const path of ['/b', '/c']) {
      const tunnelled = await client.get(`https://localhost:${secure.port}${path}`);
      expect(await tunnelled.body.text()).toBe(`https ${path}`);
      expect(tunnelled.meta.tls?.servername).toBe('localhost');
    }
    expect(server.seen.map((seen) => [seen.destination?.type, seen.destination?.host])).toEqual([
      ['address', '127.0.0.1'],
      ['domain', 'localhost'],
    ]);
    expect(server.seen.every((seen) => seen.credentials?.password === 'secret')).toBe(true);
    expect(secure.connections()).toBe(1);
    expect([...plain.proxyFields, ...secure.proxyFields]).toEqual([undefined, undefined, undefined]);
  });

  it('takes { http, https, noProxy } with socks5:// URLs; NO_PROXY hosts go direct', async () => {
    const proxied = await origin();
    const bypassed = await origin();
    const server = await socks({});
    const url = `socks5://127.0.0.1:${server.port}`;
    const client = closedAfter(
      createClient({ proxy: { http: url, https: url, noProxy: `127.0.0.1:${bypassed.port}` }, retry: false }),
    );
    const through = await client.get(`http://127.0.0.1:${proxied.port}/p`);
    expect(await through.body.text()).toBe('http /p');
    expect(through.meta.proxy?.mode).toBe('socks');
    const direct = await client.get(`http://127.0.0.1:${bypassed.port}/d`);
    expect(await direct.body.text()).toBe('http /d');
    expect(direct.meta.proxy).toBeUndefined();
    expect(server.seen).toEqual([
      { methods: [0], destination: { type: 'address', host: '127.0.0.1', port: proxied.port } },
    ]);
  });

  it('fails PROXY_FAILED with the reply code when the proxy refuses the target', async () => {
    const target = await origin();
    const server = await socks({ reply: 5 });
    const client = closedAfter(createClient({ proxy: `socks5h://127.0.0.1:${server.port}`, retry: false }));
    let error: unknown;
    try {
      await client.get(`http://127.0.0.1:${target.port}/`);
    } catch (caught) {
      error = caught;
    }
    expect(HttpClientError.is(error, 'PROXY_FAILED')).toBe(true);
    expect((error as HttpClientError).details.socksReply).toEqual({ code: 5, meaning: 'connection refused' });
    expect(target.connections()).toBe(0);
  });

  it('reads a proxy URL string as both schemes, and refuses an empty one', () => {
    expect(resolveProxyOption('socks5h://127.0.0.1:1080', () => ({}))).toEqual({
      http: 'socks5h://127.0.0.1:1080',
      https: 'socks5h://127.0.0.1:1080',
    });
    const url = new URL('socks5://127.0.0.1:1080');
    expect(resolveProxyOption(url, () => ({}))).toEqual({ http: url, https: url });
    expect(() => resolveProxyOption('', () => ({}))).toThrow(/a proxy URL/);
  });

  it('keys pooled connections apart per SOCKS scheme and user, with no secret in the key', () => {
    const target = { scheme: 'https' as const, host: 'localhost', port: 443, servername: 'localhost' };
    const key = (proxy: string) => buildDefaultConnector({ proxy: { https: proxy } }).connectorKey(target);
    const keys = [
      key('socks5h://127.0.0.1:1080'),
      key('socks5://127.0.0.1:1080'),
      key('socks5h://a:secret@127.0.0.1:1080'),
      key('socks5h://b:secret@127.0.0.1:1080'),
      key('http://127.0.0.1:1080'),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.join(' ')).not.toContain('secret');
  });
});

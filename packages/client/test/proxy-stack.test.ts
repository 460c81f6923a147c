import type { IncomingHttpHeaders } from 'node:http';
import { createMockTransport, HttpClientError } from '@x/core';
import { startForwardProxy } from '@x/test-support';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildDefaultConnector, type Client, createClient } from '../src/index.js';
import { createTestCertificates, type TestCertificates } from './support/certs.js';
import { eventually, startServer, type TestServer } from './support/servers.js';

let certificates: TestCertificates;
beforeAll(async () => {
  certificates = await createTestCertificates();
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** An origin that answers "<scheme> <path>" and keeps the headers of each request. */
async function origin(tls = false): Promise<TestServer & { headers: IncomingHttpHeaders[] }> {
  const headers: IncomingHttpHeaders[] = [];
  const server = await startServer(
    (request, response) => {
      headers.push(request.headers);
      response.end(`${tls ? 'https' : 'http'} ${request.url}`);
    },
    tls ? { key: certificates.keyPem, cert: certificates.certPem } : undefined,
  );
  cleanups.push(async () => {
    // Leak check: the client was closed first, so no server-side socket may stay open.
    expect(await eventually(() => server.openSockets() === 0)).toBe(true);
    await server.close();
  });
  return Object.assign(server, { headers });
}

function track(client: Client): Client {
  cleanups.push(() => client.close());
  return client;
}

const trustTestRoot = () => ({ trust: { mode: 'replace' as const, ca: certificates.caPem } });

describe('proxy in the default stack', () => {
  it('forwards http:, tunnels https: under the client TLS policy, bypasses NO_PROXY; Proxy-Authorization reaches no origin', async () => {
    const plain = await origin();
    const secure = await origin(true);
    const bypassed = await origin();
    const proxy = await startForwardProxy({ requireAuthorization: basic('u', 'pw') });
    cleanups.push(async () => {
      // The client is closed first: no proxy connection or tunnel may stay open.
      expect(await eventually(() => proxy.openSockets() === 0)).toBe(true);
      await proxy.close();
    });
    const proxyUrl = `http://u:pw@127.0.0.1:${proxy.port}`;
    const client = track(
      createClient({
        proxy: { http: proxyUrl, https: proxyUrl, noProxy: `127.0.0.1:${bypassed.port}` },
        tls: trustTestRoot(),
        retry: false,
      }),
    );

    const forwarded = await client.get(`http://localhost:${plain.port}/a`);
    expect(await forwarded.body.text()).toBe('http /a');
    expect(forwarded.meta.proxy).toEqual({ url: `http://127.0.0.1:${proxy.port}/`, mode: 'forward' });

    // The test CA is trusted only by the client's tls-verify policy: this
    // succeeds only if the tunnel runs TLS under that policy.
    const tunnelled = await client.get(`https://localhost:${secure.port}/b`);
    expect(await tunnelled.body.text()).toBe('https /b');
    expect(tunnelled.meta.proxy?.mode).toBe('tunnel');
    expect(tunnelled.meta.tls?.servername).toBe('localhost');

    const direct = await client.get(`http://127.0.0.1:${bypassed.port}/c`, {
      headers: { 'Proxy-Authorization': 'Basic caller-value' },
    });
    expect(await direct.body.text()).toBe('http /c');
    expect(direct.meta.proxy).toBeUndefined();

    expect(proxy.seen.map((seen) => [seen.method, seen.target, seen.headers['proxy-authorization']])).toEqual(
      [
        ['GET', `http://localhost:${plain.port}/a`, basic('u', 'pw')],
        ['CONNECT', `localhost:${secure.port}`, basic('u', 'pw')],
      ],
    );
    for (const server of [plain, secure, bypassed]) {
      expect(server.headers).toHaveLength(1);
      expect(server.headers[0]?.['proxy-authorization']).toBeUndefined();
    }
  });

  it('routes each redirect hop afresh (a NO_PROXY hop goes direct) and keeps cookies per host through the proxy', async () => {
    const cookies: Array<[string, string | undefined, string | undefined]> = [];
    const bypassed = await startServer((request, response) => {
      cookies.push([`direct ${request.url}`, request.headers.cookie, request.headers['proxy-authorization']]);
      response.end('landed');
    });
    cleanups.push(async () => {
      expect(await eventually(() => bypassed.openSockets() === 0)).toBe(true);
      await bypassed.close();
    });
    const proxied = await startServer((request, response) => {
      cookies.push([
        `proxied ${request.url}`,
        request.headers.cookie,
        request.headers['proxy-authorization'],
      ]);
      if (request.url === '/start') {
        response.writeHead(302, {
          'Set-Cookie': 'a=1; Path=/',
          Location: `http://127.0.0.1:${bypassed.port}/next`,
        });
        response.end();
      } else response.end('again');
    });
    cleanups.push(async () => {
      expect(await eventually(() => proxied.openSockets() === 0)).toBe(true);
      await proxied.close();
    });
    const proxy = await startForwardProxy({ requireAuthorization: basic('u', 'pw') });
    cleanups.push(() => proxy.close());
    const client = track(
      createClient({
        proxy: { http: `http://u:pw@127.0.0.1:${proxy.port}`, noProxy: '127.0.0.1' },
        cookies: true,
        retry: false,
      }),
    );
    const landed = await client.get(`http://localhost:${proxied.port}/start`);
    expect(await landed.body.text()).toBe('landed');
    expect(landed.meta.proxy).toBeUndefined();
    const again = await client.get(`http://localhost:${proxied.port}/again`);
    expect(await again.body.text()).toBe('again');
    expect(again.meta.proxy?.mode).toBe('forward');
    expect(proxy.seen.map((seen) => seen.target)).toEqual([
      `http://localhost:${proxied.port}/start`,
      `http://localhost:${proxied.port}/again`,
    ]);
    expect(cookies).toEqual([
      ['proxied /start', undefined, undefined],
      // Another host: localhost's cookie stays home, and the hop skipped the proxy.
      ['direct /next', undefined, undefined],
      ['proxied /again', 'a=1', undefined],
    ]);
  });

  it("'environment' reads the proxy variables once, when the client is built", async () => {
    const target = await origin();
    const proxy = await startForwardProxy({});
    cleanups.push(() => proxy.close());
    const names = [
      'http_proxy',
      'HTTP_PROXY',
      'https_proxy',
      'HTTPS_PROXY',
      'all_proxy',
      'ALL_PROXY',
      'no_proxy',
      'NO_PROXY',
    ];
    const saved = names.map((name) => [name, process.env[name]] as const);
    for (const name of names) delete process.env[name];
    let client: Client;
    try {
      process.env.HTTP_PROXY = proxy.url;
      client = track(createClient({ proxy: 'environment', retry: false }));
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    // The variable is gone now; the client still uses what it read.
    const response = await client.get(`http://localhost:${target.port}/env`);
    expect(await response.body.text()).toBe('http /env');
    expect(response.meta.proxy?.mode).toBe('forward');
    expect(proxy.seen.map((seen) => seen.target)).toEqual([`http://localhost:${target.port}/env`]);

    // Without the option, the environment is never read: a client goes direct.
    process.env.HTTP_PROXY = proxy.url;
    try {
      const plainClient = track(createClient({ retry: false }));
      const plainResponse = await plainClient.get(`http://127.0.0.1:${target.port}/direct`);
      expect(await plainResponse.body.text()).toBe('http /direct');
      expect(plainResponse.meta.proxy).toBeUndefined();
    } finally {
      const before = saved.find(([name]) => name === 'HTTP_PROXY')?.[1];
      if (before === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = before;
    }
    expect(proxy.seen).toHaveLength(1);
  });

  it('refuses a proxy over a caller transport, which would leak Proxy-Authorization to origins', () => {
    const transport = createMockTransport(() => ({ status: 200 }));
    let error: unknown;
    try {
      createClient({ transport, proxy: { http: 'http://127.0.0.1:9' } });
    } catch (caught) {
      error = caught;
    }
    expect(HttpClientError.is(error, 'INVALID_REQUEST')).toBe(true);
  });

  it('keys pooled connections by route, proxy and TLS policy (SECURITY.md rule 15)', () => {
    const target = { scheme: 'https' as const, host: 'localhost', port: 443, servername: 'localhost' };
    const key = (options: Parameters<typeof buildDefaultConnector>[0]) =>
      buildDefaultConnector(options).connectorKey(target);
    const viaA = { https: 'http://127.0.0.1:3128' };
    const keys = [
      key({}),
      key({ tls: trustTestRoot() }),
      key({ proxy: viaA }),
      key({ proxy: viaA, tls: trustTestRoot() }),
      key({ proxy: { https: 'http://127.0.0.1:3129' } }),
      key({ proxy: { https: 'http://user:secret@127.0.0.1:3128' } }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.join(' ')).not.toContain('secret');
    // The same settings give the same key, so connections are still reused.
    expect(key({ proxy: viaA, tls: trustTestRoot() })).toBe(keys[3]);
  });
});

import { createRequest } from '@x/core';
import { failure, type ProxyBehaviour, startForwardProxy, type TestProxy } from '@x/test-support';
import type { TestCertificate } from '@x/test-support/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultTunnelTls } from '../src/index.js';
import { loopbackStack } from './support/loopback-stack.js';

// The whole stack over real loopback sockets: withProxy → @x/pool →
// proxyConnector → a forward proxy written for the tests → origins.

const {
  authority: root,
  cleanups,
  client,
  origin,
} = loopbackStack('proxy tests root', ['origin.test', 'other.test']);
let proxyCertificate: TestCertificate;

beforeAll(async () => {
  proxyCertificate = await root().issue(['127.0.0.1']);
});

async function forwardProxy(behaviour: ProxyBehaviour): Promise<TestProxy> {
  const server = await startForwardProxy(behaviour);
  cleanups.push(() => server.close());
  return server;
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('http: origins through a forward proxy', () => {
  it('sends an absolute-form target to the proxy, and the origin gets origin-form without proxy fields', async () => {
    const target = await origin(false);
    const proxy = await forwardProxy({ hosts: { 'origin.test': target.port } });
    const transport = client({ http: `http://127.0.0.1:${proxy.port}` });
    const response = await transport.request(
      createRequest({ url: `http://origin.test:${target.port}/a?b=1` }),
    );
    expect(await response.body.text()).toBe(`GET /a?b=1 on origin.test:${target.port}`);
    expect(response.meta.proxy).toEqual({ url: `http://127.0.0.1:${proxy.port}/`, mode: 'forward' });
    expect(proxy.seen.map((seen) => seen.target)).toEqual([`http://origin.test:${target.port}/a?b=1`]);
    expect(target.seen[0]?.headers['proxy-authorization']).toBeUndefined();
  });

  it('sends Basic credentials from the proxy URL to the proxy, never to the origin', async () => {
    const target = await origin(false);
    const proxy = await forwardProxy({
      hosts: { 'origin.test': target.port },
      requireAuthorization: basic('alice', 'p@ss:word'),
    });
    const transport = client({ http: `http://alice:p%40ss%3Aword@127.0.0.1:${proxy.port}` });
    const response = await transport.request(createRequest({ url: `http://origin.test:${target.port}/` }));
    expect(response.status).toBe(200);
    await response.body.text();
    expect(proxy.seen[0]?.headers['proxy-authorization']).toBe(basic('alice', 'p@ss:word'));
    expect(target.seen[0]?.headers['proxy-authorization']).toBeUndefined();
  });

  it('returns the proxy’s 407 as a response when the credentials are refused', async () => {
    const target = await origin(false);
    const proxy = await forwardProxy({
      hosts: { 'origin.test': target.port },
      requireAuthorization: 'Basic right',
    });
    const transport = client({
      http: { url: `http://127.0.0.1:${proxy.port}`, authorization: 'Basic wrong' },
    });
    const response = await transport.request(createRequest({ url: `http://origin.test:${target.port}/` }));
    expect(response.status).toBe(407);
    expect(response.headers.get('proxy-authenticate')).toBe('Basic realm="test-proxy"');
    await response.body.text();
    expect(target.seen).toHaveLength(0);
  });
});

describe('https: origins through a CONNECT tunnel', () => {
  it('tunnels, verifies the origin’s certificate for its own name, and reuses the tunnel', async () => {
    const target = await origin(true);
    const proxy = await forwardProxy({ hosts: { 'origin.test': target.port } });
    const transport = client({ https: `http://127.0.0.1:${proxy.port}` });
    for (const path of ['/one', '/two']) {
      const response = await transport.request(
        createRequest({ url: `https://origin.test:${target.port}${path}` }),
      );
      expect(await response.body.text()).toBe(`GET ${path} on origin.test:${target.port}`);
      expect(response.meta.proxy?.mode).toBe('tunnel');
    }
    expect(proxy.seen.map((seen) => `${seen.method} ${seen.target} ${seen.headers.host}`)).toEqual([
      `CONNECT origin.test:${target.port} origin.test:${target.port}`,
    ]);
    expect(proxy.connections()).toBe(1);
    expect(target.connections()).toBe(1);
  });

  it('sends Proxy-Authorization only on CONNECT; a caller’s Proxy-Authorization never reaches the origin', async () => {
    const target = await origin(true);
    const proxy = await forwardProxy({
      hosts: { 'origin.test': target.port },
      requireAuthorization: basic('u', 'pw'),
    });
    const transport = client({ https: `http://u:pw@127.0.0.1:${proxy.port}` });
    const response = await transport.request(
      createRequest({
        url: `https://origin.test:${target.port}/`,
        headers: { 'proxy-authorization': 'Basic c2VjcmV0', authorization: 'Bearer origin-token' },
      }),
    );
    await response.body.text();
    expect(proxy.seen[0]?.headers['proxy-authorization']).toBe(basic('u', 'pw'));
    expect(proxy.seen[0]?.headers.authorization).toBeUndefined();
    expect(target.seen[0]?.headers['proxy-authorization']).toBeUndefined();
    expect(target.seen[0]?.headers.authorization).toBe('Bearer origin-token');
  });

  it('fails with PROXY_FAILED and the 407 when credentials are refused, leaking none', async () => {
    const target = await origin(true);
    const proxy = await forwardProxy({
      hosts: { 'origin.test': target.port },
      requireAuthorization: basic('u', 'pw'),
    });
    const transport = client({ https: `http://u:wrong-secret@127.0.0.1:${proxy.port}` });
    const error = await failure(
      transport.request(createRequest({ url: `https://user:origin-secret@origin.test:${target.port}/x` })),
    );
    expect(error.code).toBe('PROXY_FAILED');
    expect(error.requestSent).toBe(false);
    expect(error.details.status).toBe(407);
    expect(error.details.proxyAuthenticate).toEqual(['Basic realm="test-proxy"']);
    const everything = JSON.stringify({ ...error.toJSON(), message: error.message });
    expect(everything).not.toContain('wrong-secret');
    expect(everything).not.toContain('origin-secret');
    expect(target.connections()).toBe(0);
  });

  it.each([403, 502, 503])('fails with PROXY_FAILED carrying the proxy’s %i', async (status) => {
    const target = await origin(true);
    const proxy = await forwardProxy({ hosts: { 'origin.test': target.port }, connectStatus: status });
    const transport = client({ https: `http://127.0.0.1:${proxy.port}` });
    const error = await failure(
      transport.request(createRequest({ url: `https://origin.test:${target.port}/` })),
    );
    expect(error.code).toBe('PROXY_FAILED');
    expect(error.details.status).toBe(status);
    expect(error.message).toContain(`status ${status}`);
  });

  it('fails with PROXY_FAILED when the proxy closes instead of answering CONNECT', async () => {
    const target = await origin(true);
    const proxy = await forwardProxy({ hosts: { 'origin.test': target.port }, closeOnConnect: true });
    const transport = client({ https: `http://127.0.0.1:${proxy.port}` });
    const error = await failure(
      transport.request(createRequest({ url: `https://origin.test:${target.port}/` })),
    );
    expect(error.code).toBe('PROXY_FAILED');
    expect(error.details.status).toBeUndefined();
    expect(error.requestSent).toBe(false);
  });

  it('fails TLS_FAILED when the origin’s certificate does not name the origin (not the proxy)', async () => {
    const target = await origin(true);
    const proxy = await forwardProxy({ hosts: { 'wrong.test': target.port } });
    const transport = client({ https: `http://127.0.0.1:${proxy.port}` });
    const error = await failure(
      transport.request(createRequest({ url: `https://wrong.test:${target.port}/` })),
    );
    expect(error.code).toBe('TLS_FAILED');
    expect(target.seen).toHaveLength(0);
  });

  it('keeps verifying the origin through a tunnel when NODE_TLS_REJECT_UNAUTHORIZED=0 is set (SECURITY.md 27)', async () => {
    const target = await origin(true);
    const proxy = await forwardProxy({ hosts: { 'origin.test': target.port } });
    // The default tunnel TLS with Node's roots only: the test root is not trusted.
    const transport = client({ https: `http://127.0.0.1:${proxy.port}`, tls: defaultTunnelTls() });
    const previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      const error = await failure(
        transport.request(createRequest({ url: `https://origin.test:${target.port}/` })),
      );
      expect(error.code).toBe('TLS_FAILED');
      expect(target.seen).toHaveLength(0);
    } finally {
      if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous;
    }
  });

  it('reaches an https:// proxy over TLS with its own trust settings', async () => {
    const target = await origin(true);
    const proxy = await forwardProxy({ hosts: { 'origin.test': target.port }, tls: proxyCertificate });
    const transport = client({ https: `https://127.0.0.1:${proxy.port}`, proxyCa: root().certPem });
    const response = await transport.request(
      createRequest({ url: `https://origin.test:${target.port}/tls-in-tls` }),
    );
    expect(await response.body.text()).toBe(`GET /tls-in-tls on origin.test:${target.port}`);
    expect(proxy.seen[0]?.method).toBe('CONNECT');
  });

  it('forwards http: requests to an https:// proxy over TLS, credentials inside the TLS connection', async () => {
    const target = await origin(false);
    const proxy = await forwardProxy({
      hosts: { 'origin.test': target.port },
      tls: proxyCertificate,
      requireAuthorization: basic('u', 'pw'),
    });
    const transport = client({ http: `https://u:pw@127.0.0.1:${proxy.port}`, proxyCa: root().certPem });
    const response = await transport.request(createRequest({ url: `http://origin.test:${target.port}/p` }));
    expect(await response.body.text()).toBe(`GET /p on origin.test:${target.port}`);
    expect(response.meta.proxy).toEqual({ url: `https://127.0.0.1:${proxy.port}/`, mode: 'forward' });
    expect(proxy.seen[0]?.target).toBe(`http://origin.test:${target.port}/p`);
    expect(target.seen[0]?.headers['proxy-authorization']).toBeUndefined();
  });

  it('refuses an https:// proxy whose certificate it does not trust', async () => {
    const target = await origin(true);
    const proxy = await forwardProxy({ hosts: { 'origin.test': target.port }, tls: proxyCertificate });
    const transport = client({ https: `https://127.0.0.1:${proxy.port}` });
    const error = await failure(
      transport.request(createRequest({ url: `https://origin.test:${target.port}/` })),
    );
    expect(error.code).toBe('TLS_FAILED');
    expect(error.details.proxy).toBe(`https://127.0.0.1:${proxy.port}/`);
    expect(proxy.seen).toHaveLength(0);
  });
});

describe('routing and cleanup', () => {
  it('goes direct for NO_PROXY hosts', async () => {
    const target = await origin(false);
    const proxy = await forwardProxy({ hosts: {} });
    const transport = client({ http: `http://127.0.0.1:${proxy.port}`, noProxy: '127.0.0.0/8' });
    const response = await transport.request(
      createRequest({ url: `http://127.0.0.1:${target.port}/direct` }),
    );
    expect(await response.body.text()).toContain('GET /direct');
    expect(response.meta.proxy).toBeUndefined();
    expect(proxy.connections()).toBe(0);
  });

  it('reports a proxy that cannot be reached as CONNECT_FAILED naming the proxy', async () => {
    const proxy = await forwardProxy({ hosts: {} });
    const port = proxy.port;
    await proxy.close();
    const transport = client({ https: `http://user:secret@127.0.0.1:${port}` });
    const error = await failure(transport.request(createRequest({ url: 'https://origin.test/' })));
    expect(error.code).toBe('CONNECT_FAILED');
    expect(error.details.proxy).toBe(`http://127.0.0.1:${port}/`);
    expect(error.message).not.toContain('secret');
  });

  it('leaves no socket open on the proxy or the origin after close()', async () => {
    const target = await origin(true);
    const proxy = await forwardProxy({ hosts: { 'origin.test': target.port } });
    const transport = client({ https: `http://127.0.0.1:${proxy.port}` });
    const response = await transport.request(createRequest({ url: `https://origin.test:${target.port}/` }));
    await response.body.text();
    await transport.close();
    for (let attempt = 0; attempt < 100 && proxy.openSockets() + target.openSockets() > 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(proxy.openSockets()).toBe(0);
    expect(target.openSockets()).toBe(0);
  });
});

import { createRequest } from '@x/core';
import {
  failure,
  type SocksBehaviour,
  startSocks5Server,
  type TestSocksServer,
  until,
} from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { proxyConnector, proxyFromEnvironment } from '../src/index.js';
import { loopbackStack } from './support/loopback-stack.js';

// The whole stack over loopback sockets: withProxy → @x/pool →
// proxyConnector → a SOCKS5 server written for the tests → origins.

const { cleanups, client, origin } = loopbackStack('socks tests root', ['origin.test']);

async function socksServer(behaviour: SocksBehaviour): Promise<TestSocksServer> {
  const server = await startSocks5Server(behaviour);
  cleanups.push(() => server.close());
  return server;
}

/** A client-side resolver that knows only origin.test, as 127.0.0.1. */
const testLookup = async (hostname: string) => {
  if (hostname === 'origin.test') return { address: '127.0.0.1', family: 4 };
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

describe('socks5h: the proxy resolves names', () => {
  it('carries http: in origin-form, sends the name (ATYP 3), no credentials and no proxy field', async () => {
    const target = await origin(false);
    const socks = await socksServer({ hosts: { 'origin.test': target.port } });
    const transport = client({ http: `socks5h://127.0.0.1:${socks.port}` });
    const response = await transport.request(
      createRequest({
        url: `http://origin.test:${target.port}/a?b=1`,
        headers: { 'proxy-authorization': 'Basic caller-value' },
      }),
    );
    expect(await response.body.text()).toBe(`GET /a?b=1 on origin.test:${target.port}`);
    expect(response.meta.proxy).toEqual({ url: `socks5h://127.0.0.1:${socks.port}`, mode: 'socks' });
    expect(target.seen[0]?.url).toBe('/a?b=1');
    expect(target.seen[0]?.headers['proxy-authorization']).toBeUndefined();
    expect(socks.seen).toEqual([
      { methods: [0], destination: { type: 'domain', host: 'origin.test', port: target.port } },
    ]);
  });

  it('runs TLS to the origin over the tunnel, verified for the origin’s name, and reuses it', async () => {
    const target = await origin(true);
    const socks = await socksServer({ hosts: { 'origin.test': target.port } });
    const transport = client({ https: `socks5h://127.0.0.1:${socks.port}` });
    for (const path of ['/one', '/two']) {
      const response = await transport.request(
        createRequest({ url: `https://origin.test:${target.port}${path}` }),
      );
      expect(await response.body.text()).toBe(`GET ${path} on origin.test:${target.port}`);
      expect(response.meta.proxy?.mode).toBe('socks');
    }
    expect(socks.connections()).toBe(1);
    expect(target.connections()).toBe(1);
  });

  it('fails TLS_FAILED when the certificate does not name the origin', async () => {
    const target = await origin(true);
    const socks = await socksServer({ hosts: { 'wrong.test': target.port } });
    const transport = client({ https: `socks5h://127.0.0.1:${socks.port}` });
    const error = await failure(
      transport.request(createRequest({ url: `https://wrong.test:${target.port}/` })),
    );
    expect(error.code).toBe('TLS_FAILED');
    expect(target.seen).toHaveLength(0);
  });

  it('refuses a name longer than 255 bytes with INVALID_REQUEST before dialling the proxy', async () => {
    const socks = await socksServer({});
    const transport = client({ http: `socks5h://127.0.0.1:${socks.port}` });
    const name = `${'a'.repeat(60)}.`.repeat(5).concat('test');
    const error = await failure(transport.request(createRequest({ url: `http://${name}/` })));
    expect(error.code).toBe('INVALID_REQUEST');
    expect(socks.connections()).toBe(0);
  });
});

describe('socks5: the client resolves names', () => {
  it('sends the resolved address (ATYP 1) and still verifies TLS for the name', async () => {
    const target = await origin(true);
    const socks = await socksServer({});
    const transport = client({ https: `socks5://127.0.0.1:${socks.port}`, socksLookup: testLookup });
    const response = await transport.request(
      createRequest({ url: `https://origin.test:${target.port}/resolved` }),
    );
    expect(await response.body.text()).toBe(`GET /resolved on origin.test:${target.port}`);
    expect(socks.seen[0]?.destination).toEqual({ type: 'address', host: '127.0.0.1', port: target.port });
  });

  it('fails DNS_FAILED without dialling the proxy when the name does not resolve', async () => {
    const socks = await socksServer({});
    const transport = client({ http: `socks5://127.0.0.1:${socks.port}`, socksLookup: testLookup });
    const error = await failure(transport.request(createRequest({ url: 'http://nowhere.test/' })));
    expect(error.code).toBe('DNS_FAILED');
    expect(error.details).toMatchObject({ host: 'nowhere.test', systemCode: 'ENOTFOUND' });
    expect(socks.connections()).toBe(0);
  });
});

describe('username/password (RFC 1929)', () => {
  it('sends the URL’s percent-decoded credentials to the proxy only', async () => {
    const target = await origin(false);
    const socks = await socksServer({
      hosts: { 'origin.test': target.port },
      requireCredentials: { username: 'alice', password: 'p@ss:wörd' },
    });
    const transport = client({ http: `socks5h://alice:p%40ss%3Aw%C3%B6rd@127.0.0.1:${socks.port}` });
    const response = await transport.request(createRequest({ url: `http://origin.test:${target.port}/` }));
    expect(response.status).toBe(200);
    expect(response.meta.proxy?.url).toBe(`socks5h://127.0.0.1:${socks.port}`);
    await response.body.text();
    expect(socks.seen[0]?.methods).toEqual([0, 2]);
    expect(socks.seen[0]?.credentials).toEqual({ username: 'alice', password: 'p@ss:wörd' });
    expect(JSON.stringify(target.seen)).not.toContain('alice');
  });

  it('fails PROXY_FAILED “SOCKS credentials refused” with no secret in the error', async () => {
    const target = await origin(false);
    const socks = await socksServer({
      hosts: { 'origin.test': target.port },
      requireCredentials: { username: 'alice', password: 'right' },
    });
    const transport = client({ http: `socks5h://alice:wrong-secret@127.0.0.1:${socks.port}` });
    const error = await failure(
      transport.request(createRequest({ url: `http://origin.test:${target.port}/` })),
    );
    expect(error.code).toBe('PROXY_FAILED');
    expect(error.message).toContain('SOCKS credentials refused');
    expect(error.requestSent).toBe(false);
    const everything = JSON.stringify({ ...error.toJSON(), message: error.message });
    expect(everything).not.toContain('wrong-secret');
    expect(target.connections()).toBe(0);
    await until(() => socks.openSockets() === 0);
  });

  it('fails PROXY_FAILED when the proxy wants credentials and none are configured', async () => {
    const socks = await socksServer({ requireCredentials: { username: 'a', password: 'b' } });
    const transport = client({ http: `socks5h://127.0.0.1:${socks.port}` });
    const error = await failure(transport.request(createRequest({ url: 'http://origin.test/' })));
    expect(error.code).toBe('PROXY_FAILED');
    expect(error.message).toContain('none of the offered methods');
    expect(socks.seen[0]).toEqual({ methods: [0] });
  });
});

describe('refusals and broken proxies', () => {
  it('reports a non-zero reply as PROXY_FAILED with its code and meaning', async () => {
    const target = await origin(true);
    const socks = await socksServer({ reply: 5 });
    const transport = client({ https: `socks5h://127.0.0.1:${socks.port}` });
    const error = await failure(
      transport.request(createRequest({ url: `https://origin.test:${target.port}/` })),
    );
    expect(error.code).toBe('PROXY_FAILED');
    expect(error.requestSent).toBe(false);
    expect(error.details.socksReply).toEqual({ code: 5, meaning: 'connection refused' });
    expect(error.details.target).toBe(`origin.test:${target.port}`);
    expect(target.connections()).toBe(0);
  });

  it.each([
    ['a wrong version', { greetingAnswer: [4, 0] }, 'version 4'],
    ['a method that was not offered', { greetingAnswer: [5, 2] }, 'not offered'],
    ['a close during the handshake', { closeOnGreeting: true }, 'closed the connection'],
  ] as const)('fails PROXY_FAILED on %s, leaving no socket', async (_name, behaviour, message) => {
    const socks = await socksServer(behaviour);
    const transport = client({ http: `socks5h://127.0.0.1:${socks.port}` });
    const error = await failure(transport.request(createRequest({ url: 'http://origin.test/' })));
    expect(error.code).toBe('PROXY_FAILED');
    expect(error.message).toContain(message);
    await until(() => socks.openSockets() === 0);
  });
});

describe('routing', () => {
  it('goes direct for NO_PROXY hosts', async () => {
    const target = await origin(false);
    const socks = await socksServer({});
    const transport = client({ http: `socks5h://127.0.0.1:${socks.port}`, noProxy: '127.0.0.0/8' });
    const response = await transport.request(createRequest({ url: `http://127.0.0.1:${target.port}/d` }));
    expect(await response.body.text()).toContain('GET /d');
    expect(response.meta.proxy).toBeUndefined();
    expect(socks.connections()).toBe(0);
  });

  it('takes ALL_PROXY=socks5h:// from the environment for both schemes', async () => {
    const plain = await origin(false);
    const secure = await origin(true);
    const socks = await socksServer({
      hosts: { 'origin.test': plain.port, 'secure.origin.test': secure.port },
    });
    const transport = client(proxyFromEnvironment({ ALL_PROXY: `socks5h://127.0.0.1:${socks.port}` }));
    const first = await transport.request(createRequest({ url: `http://origin.test:${plain.port}/p` }));
    expect(await first.body.text()).toBe(`GET /p on origin.test:${plain.port}`);
    const error = await failure(
      transport.request(createRequest({ url: `https://secure.origin.test:${secure.port}/s` })),
    );
    // The test certificate names origin.test only: reaching TLS proves https: went through SOCKS.
    expect(error.code).toBe('TLS_FAILED');
    expect(socks.seen.map((seen) => seen.destination?.host)).toEqual(['origin.test', 'secure.origin.test']);
  });

  it('leaves no socket open on the SOCKS server or the origin after close()', async () => {
    const target = await origin(true);
    const socks = await socksServer({ hosts: { 'origin.test': target.port } });
    const transport = client({ https: `socks5h://127.0.0.1:${socks.port}` });
    const response = await transport.request(createRequest({ url: `https://origin.test:${target.port}/` }));
    await response.body.text();
    expect(socks.openSockets()).toBe(2);
    await transport.close();
    await until(() => socks.openSockets() + target.openSockets() === 0);
  });

  it('keeps credentials out of the pool key and apart per user', () => {
    const target = { scheme: 'https' as const, host: 'origin.test', port: 443, servername: 'origin.test' };
    const alice = proxyConnector({ https: 'socks5h://alice:s3cret@127.0.0.1:1080' }).poolKey(target);
    const bob = proxyConnector({ https: 'socks5h://bob:s3cret@127.0.0.1:1080' }).poolKey(target);
    const anonymous = proxyConnector({ https: 'socks5h://127.0.0.1' }).poolKey(target);
    expect(alice).not.toContain('s3cret');
    expect(alice).not.toContain('alice');
    expect(alice).not.toBe(bob);
    expect(anonymous).toContain('socks|socks5h://127.0.0.1:1080|');
    expect(proxyConnector({ https: 'socks5://127.0.0.1' }).poolKey(target)).not.toBe(anonymous);
  });
});

import { createRequest, type HttpTransport } from '@x/core';
import { createPool } from '@x/pool';
import { withRedirects } from '@x/redirect';
import {
  cleanupAfterEach,
  startForwardProxy,
  startOrigin,
  type TestOrigin,
  type TestProxy,
} from '@x/test-support';
import { createAuthority, type TestAuthority, type TestCertificate } from '@x/test-support/x509';
import { tlsConnector } from '@x/tls-verify';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  defaultTunnelTls,
  type ProxyOptions,
  proxyConnector,
  proxyFromEnvironment,
  withProxy,
} from '../src/index.js';

let authority: TestAuthority;
let originCertificate: TestCertificate;
const cleanups = cleanupAfterEach();

beforeAll(async () => {
  authority = await createAuthority('proxy integration root');
  originCertificate = await authority.issue(['origin.test', 'other.test']);
});

function track<T extends { close(): Promise<void> }>(value: T): T {
  cleanups.push(() => value.close());
  return value;
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('with @x/tls-verify as the origin TLS', () => {
  it('verifies the origin through the tunnel under a tls-verify policy and reports both metas', async () => {
    const target = track(await startOrigin({ tls: originCertificate }));
    const proxy = track(await startForwardProxy({ hosts: { 'origin.test': target.port } }));
    const options = { https: `http://127.0.0.1:${proxy.port}` };
    const connector = proxyConnector({
      ...options,
      tls: (connect) => tlsConnector({ trust: { mode: 'replace', ca: authority.certPem }, connect }),
    });
    const transport = track(withProxy(createPool({ connector }), options));
    const response = await transport.request(createRequest({ url: `https://origin.test:${target.port}/v` }));
    expect(await response.body.text()).toBe(`GET /v on origin.test:${target.port}`);
    expect(response.meta.tls?.matchedName).toBe('DNS:origin.test');
    expect(response.meta.tls?.servername).toBe('origin.test');
    expect(response.meta.proxy).toEqual({ url: `http://127.0.0.1:${proxy.port}/`, mode: 'tunnel' });
  });
});

describe('with @x/redirect above withProxy', () => {
  let first: TestOrigin;
  let second: TestOrigin;
  let proxy: TestProxy;
  let transport: HttpTransport;

  async function build(options: ProxyOptions) {
    transport = track(
      withRedirects(
        withProxy(
          createPool({
            connector: proxyConnector({ ...options, tls: defaultTunnelTls({ ca: authority.certPem }) }),
          }),
          options,
        ),
      ),
    );
  }

  it('routes every hop afresh; Proxy-Authorization goes to the proxy on each hop and to no origin', async () => {
    second = track(await startOrigin({ tls: originCertificate }));
    first = track(
      await startOrigin({
        handler: (_request, response) => {
          response.writeHead(302, { location: `https://other.test:${second.port}/landed` }).end();
        },
      }),
    );
    proxy = track(
      await startForwardProxy({
        hosts: { 'origin.test': first.port, 'other.test': second.port },
        requireAuthorization: basic('u', 'pw'),
      }),
    );
    const proxyUrl = `http://u:pw@127.0.0.1:${proxy.port}`;
    await build({ http: proxyUrl, https: proxyUrl });
    const response = await transport.request(
      createRequest({
        url: `http://origin.test:${first.port}/start`,
        headers: { 'proxy-authorization': 'Basic caller-value' },
      }),
    );
    expect(response.url.href).toBe(`https://other.test:${second.port}/landed`);
    expect(await response.body.text()).toBe(`GET /landed on other.test:${second.port}`);
    expect(proxy.seen.map((seen) => [seen.method, seen.headers['proxy-authorization']])).toEqual([
      ['GET', basic('u', 'pw')],
      ['CONNECT', basic('u', 'pw')],
    ]);
    expect(first.seen[0]?.headers['proxy-authorization']).toBeUndefined();
    expect(second.seen[0]?.headers['proxy-authorization']).toBeUndefined();
  });
});

describe('configured from an environment object', () => {
  it('uses HTTPS_PROXY for https: and honours NO_PROXY for the rest', async () => {
    const secure = track(await startOrigin({ tls: originCertificate }));
    const plain = track(await startOrigin());
    const proxy = track(await startForwardProxy({ hosts: { 'origin.test': secure.port } }));
    const options = proxyFromEnvironment({
      HTTPS_PROXY: `127.0.0.1:${proxy.port}`,
      HTTP_PROXY: `127.0.0.1:${proxy.port}`,
      NO_PROXY: `127.0.0.1:${plain.port}`,
    });
    const connector = proxyConnector({ ...options, tls: defaultTunnelTls({ ca: authority.certPem }) });
    const transport = track(withProxy(createPool({ connector }), options));
    const tunnelled = await transport.request(createRequest({ url: `https://origin.test:${secure.port}/` }));
    await tunnelled.body.text();
    const direct = await transport.request(createRequest({ url: `http://127.0.0.1:${plain.port}/` }));
    await direct.body.text();
    expect(tunnelled.meta.proxy?.mode).toBe('tunnel');
    expect(direct.meta.proxy).toBeUndefined();
    expect(proxy.seen.map((seen) => seen.method)).toEqual(['CONNECT']);
  });
});

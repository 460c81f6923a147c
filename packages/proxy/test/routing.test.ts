import { HttpClientError } from '@x/core';
import { describe, expect, it } from 'vitest';
import { createProxyRouter, parseProxy, proxyConnector } from '../src/index.js';

describe('parseProxy', () => {
  it('turns URL credentials into Basic (percent-decoded, UTF-8) and keeps them out of the URL', () => {
    const proxy = parseProxy('http://j%C3%BCrgen:p%40ss@proxy.test:3128', 'https');
    expect(proxy.authorization).toBe(`Basic ${Buffer.from('jürgen:p@ss').toString('base64')}`);
    expect(proxy.url).toBe('http://proxy.test:3128/');
    expect(proxy.target).toMatchObject({ scheme: 'http', host: 'proxy.test', port: 3128 });
    expect(proxy.key).not.toContain('p%40ss');
  });

  it('takes a scheme-less host:port as http://, like curl', () => {
    expect(parseProxy('proxy.test:8080', 'http').url).toBe('http://proxy.test:8080/');
  });

  it('lets a caller-supplied authorization win over URL credentials', () => {
    const proxy = parseProxy({ url: 'https://u:p@proxy.test', authorization: 'Bearer abc' }, 'https');
    expect(proxy.authorization).toBe('Bearer abc');
    expect(proxy.target).toMatchObject({ scheme: 'https', port: 443, servername: 'proxy.test' });
  });

  it.each([
    ['ftp://proxy.test:21', 'only http://, https://, socks5:// and socks5h://'],
    ['http://', 'not a valid URL'],
    ['', 'must be a URL'],
  ])('refuses %j with INVALID_REQUEST', (input, message) => {
    const error = (() => {
      try {
        parseProxy(input, 'https');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(HttpClientError.is(error, 'INVALID_REQUEST')).toBe(true);
    expect((error as HttpClientError).message).toContain(message);
  });

  it('never echoes a malformed URL that may hold a password', () => {
    expect(() => parseProxy('http://user:hunter2@[bad', 'https')).toThrow(/^(?!.*hunter2)/);
  });

  it('refuses an authorization value with CR or LF', () => {
    expect(() => parseProxy({ url: 'http://p.test', authorization: 'Basic x\r\nX-Evil: 1' }, 'http')).toThrow(
      HttpClientError,
    );
  });
});

describe('createProxyRouter', () => {
  const router = createProxyRouter({
    http: 'http://proxy.test:3128',
    https: 'http://secure-proxy.test:3129',
    noProxy: 'internal.test,10.0.0.0/8',
  });

  it('forwards http:, tunnels https:, and goes direct for NO_PROXY hosts', () => {
    expect(router.route({ scheme: 'http', host: 'example.com', port: 80 })).toMatchObject({
      kind: 'forward',
      proxy: { url: 'http://proxy.test:3128/' },
    });
    expect(router.route({ scheme: 'https', host: 'example.com', port: 443 })).toMatchObject({
      kind: 'tunnel',
      proxy: { url: 'http://secure-proxy.test:3129/' },
    });
    expect(router.route({ scheme: 'https', host: 'a.internal.test', port: 443 }).kind).toBe('direct');
    expect(router.route({ scheme: 'http', host: '10.1.1.1', port: 80 }).kind).toBe('direct');
  });

  it('goes direct for a scheme without a proxy', () => {
    expect(
      createProxyRouter({ https: 'http://p.test' }).route({ scheme: 'http', host: 'a.test', port: 80 }).kind,
    ).toBe('direct');
  });

  it('ignores inherited option properties', () => {
    const options = Object.create({ https: 'http://polluted.test' }) as object;
    expect(createProxyRouter(options).route({ scheme: 'https', host: 'a.test', port: 443 }).kind).toBe(
      'direct',
    );
  });
});

describe('proxyConnector.poolKey', () => {
  const target = { scheme: 'https' as const, host: 'origin.test', port: 443, servername: 'origin.test' };

  it('keys tunnels by proxy and credentials, with no secret in the key', () => {
    const alice = proxyConnector({ https: 'http://alice:secret-a@proxy.test:3128' });
    const bob = proxyConnector({ https: 'http://bob:secret-b@proxy.test:3128' });
    const anonymous = proxyConnector({ https: 'http://proxy.test:3128' });
    const other = proxyConnector({ https: 'http://other-proxy.test:3128' });
    const keys = [alice, bob, anonymous, other].map((connector) => connector.poolKey(target));
    expect(new Set(keys).size).toBe(4);
    expect(keys.join(' ')).not.toMatch(/secret|alice|bob/);
    expect(alice.poolKey(target)).toBe(
      proxyConnector({ https: 'http://alice:secret-a@proxy.test:3128' }).poolKey(target),
    );
  });

  it('tells direct, forwarded and tunnelled routes apart', () => {
    const connector = proxyConnector({
      http: 'http://proxy.test',
      https: 'http://proxy.test',
      noProxy: 'direct.test',
    });
    const forward = connector.poolKey({ scheme: 'http', host: 'origin.test', port: 80 });
    const tunnel = connector.poolKey(target);
    const direct = connector.poolKey({ scheme: 'https', host: 'direct.test', port: 443 });
    expect(forward.startsWith('forward|')).toBe(true);
    expect(tunnel.startsWith('tunnel|')).toBe(true);
    expect(direct.startsWith('direct|')).toBe(true);
  });

  it('includes the origin TLS connector’s own key (e.g. tls-verify’s policyKey)', () => {
    const withPolicy = (policyKey: string) =>
      proxyConnector({
        https: 'http://proxy.test',
        tls: () => Object.assign(() => Promise.reject(new Error('unused')), { policyKey }),
      });
    expect(withPolicy('policy-a').poolKey(target)).toContain('policy-a');
    expect(withPolicy('policy-a').poolKey(target)).not.toBe(withPolicy('policy-b').poolKey(target));
  });
});

import { describe, expect, it } from 'vitest';
import { createProxyRouter, parseProxy } from '../src/index.js';
import { invalidRequest } from './support/invalid-request.js';

const invalid = (input: Parameters<typeof parseProxy>[0]) => invalidRequest(() => parseProxy(input, 'https'));

describe('parseProxy with SOCKS5 URLs', () => {
  it('reads socks5h:// with credentials: URL without them, default port 1080, decoded bytes', () => {
    const proxy = parseProxy('socks5h://j%C3%BCrgen:p%40ss@Proxy.Test', 'https');
    expect(proxy.url).toBe('socks5h://proxy.test:1080');
    expect(proxy.target).toEqual({ scheme: 'http', host: 'proxy.test', port: 1080 });
    expect(proxy.authorization).toBeUndefined();
    expect(proxy.socks?.remoteDns).toBe(true);
    expect(Buffer.from(proxy.socks?.credentials?.username ?? []).toString()).toBe('jürgen');
    expect(Buffer.from(proxy.socks?.credentials?.password ?? []).toString()).toBe('p@ss');
    expect(proxy.key).toMatch(/^socks5h:\/\/proxy\.test:1080#[\w-]{22}$/);
  });

  it('reads socks5:// as client-resolved, keeps an explicit port (even 80) and IPv6 hosts', () => {
    const proxy = parseProxy('socks5://[::1]:80', 'http');
    expect(proxy.socks).toEqual({ remoteDns: false, credentials: undefined });
    expect(proxy.url).toBe('socks5://[::1]:80');
    expect(proxy.target).toEqual({ scheme: 'http', host: '::1', port: 80 });
    expect(proxy.key).toBe('socks5://[::1]:80');
  });

  it('takes a URL object and a { url } object alike', () => {
    expect(parseProxy(new URL('socks5h://127.0.0.1:9050'), 'http').url).toBe('socks5h://127.0.0.1:9050');
    expect(parseProxy({ url: 'socks5h://127.0.0.1:9050' }, 'http').target.port).toBe(9050);
  });

  it('accepts 255-byte credentials and refuses 256 bytes, never echoing them', () => {
    expect(
      parseProxy(`socks5h://${'u'.repeat(255)}:${'p'.repeat(255)}@h.test`, 'https').socks?.credentials,
    ).toBeDefined();
    const error = invalid(`socks5h://${'u'.repeat(256)}:pw@h.test`);
    expect(error.message).toContain('at most 255 bytes');
    expect(error.message).not.toContain('uuuu');
    // 128 two-byte characters: 256 bytes
    invalid(`socks5h://user:${encodeURIComponent('é'.repeat(128))}@h.test`);
  });

  it.each([
    ['socks://h.test:1080', 'socks:// proxies are not supported'],
    ['socks4://h.test:1080', 'socks4:// proxies are not supported'],
    ['socks4a://h.test:1080', 'socks4a:// proxies are not supported'],
    ['socks5h://u:%ZZ@h.test', 'malformed percent-encoding'],
  ])('refuses %j', (input, message) => {
    expect(invalid(input).message).toContain(message);
  });

  it('refuses a Proxy-Authorization value for a SOCKS proxy', () => {
    expect(invalid({ url: 'socks5h://h.test', authorization: 'Basic x' }).message).toContain(
      'HTTP proxies only',
    );
  });
});

describe('routing to a SOCKS5 proxy', () => {
  it('routes both schemes as socks, NO_PROXY still applying', () => {
    const router = createProxyRouter({
      http: 'socks5h://proxy.test',
      https: 'socks5://proxy.test',
      noProxy: 'direct.test',
    });
    expect(router.route({ scheme: 'http', host: 'origin.test', port: 80 }).kind).toBe('socks');
    expect(router.route({ scheme: 'https', host: 'origin.test', port: 443 }).kind).toBe('socks');
    expect(router.route({ scheme: 'https', host: 'direct.test', port: 443 }).kind).toBe('direct');
  });
});

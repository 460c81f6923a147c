import { describe, expect, it } from 'vitest';
import { matchesNoProxy, parseNoProxy } from '../src/index.js';

// [NO_PROXY value, host as URL.hostname gives it, port, bypass?]
const table: Array<[string, string, number, boolean]> = [
  // empty and *
  ['', 'example.com', 80, false],
  ['*', 'example.com', 443, true],
  ['*', '10.1.2.3', 80, true],
  ['  ,  ,', 'example.com', 80, false],
  // a domain: itself and every subdomain, case-insensitive, on label boundaries
  ['example.com', 'example.com', 80, true],
  ['example.com', 'api.example.com', 80, true],
  ['example.com', 'a.b.example.com', 80, true],
  ['EXAMPLE.com', 'Api.Example.COM', 80, true],
  ['example.com', 'badexample.com', 80, false],
  ['example.com', 'example.com.evil.net', 80, false],
  ['example.com', 'example.org', 80, false],
  ['example.com.', 'api.example.com', 80, true],
  ['example.com', 'example.com.', 80, true],
  // a leading dot or *.: subdomains only
  ['.example.com', 'api.example.com', 80, true],
  ['.example.com', 'example.com', 80, false],
  ['*.example.com', 'api.example.com', 80, true],
  ['*.example.com', 'example.com', 80, false],
  // ports
  ['example.com:8080', 'example.com', 8080, true],
  ['example.com:8080', 'example.com', 80, false],
  ['example.com:8080', 'api.example.com', 8080, true],
  // lists, with spaces
  ['foo.test, example.com ,bar.test', 'example.com', 443, true],
  ['foo.test bar.test', 'bar.test', 443, true],
  ['foo.test,bar.test', 'baz.test', 443, false],
  // IPv4 addresses and ranges
  ['10.1.2.3', '10.1.2.3', 80, true],
  ['10.1.2.3', '10.1.2.4', 80, false],
  ['10.1.2.3:8080', '10.1.2.3', 8080, true],
  ['10.1.2.3:8080', '10.1.2.3', 80, false],
  ['10.0.0.0/8', '10.200.3.4', 80, true],
  ['10.0.0.0/8', '11.0.0.1', 80, false],
  ['192.168.1.0/24', '192.168.1.255', 80, true],
  ['192.168.1.0/24', '192.168.2.1', 80, false],
  ['0.0.0.0/0', '8.8.8.8', 80, true],
  // an IP entry never matches a name, a name never matches an IP (no DNS)
  ['10.0.0.0/8', 'intranet.test', 80, false],
  ['127.0.0.1', 'localhost', 80, false],
  // IPv6, bare or bracketed, with ports and ranges
  ['::1', '[::1]', 80, true],
  ['[::1]', '[::1]', 80, true],
  ['[::1]', '::1', 80, true],
  ['[::1]:8080', '[::1]', 8080, true],
  ['[::1]:8080', '[::1]', 80, false],
  ['0:0:0:0:0:0:0:1', '[::1]', 80, true],
  ['fd00::/8', '[fd12:3456::1]', 443, true],
  ['fd00::/8', '[fe80::1]', 443, false],
  ['2001:db8::/32', '[2001:db8:1::5]', 443, true],
  ['::1', '127.0.0.1', 80, false],
  // malformed entries are skipped, the rest still apply
  ['10.0.0.0/99, example.com', 'example.com', 80, true],
  ['10.0.0.0/99', '10.0.0.1', 80, false],
  ['example.com:99999', 'example.com', 80, false],
  ['[::1', '[::1]', 80, false],
  ['ex*mple.com', 'example.com', 80, false],
];

describe('NO_PROXY matching (curl/Go grammar)', () => {
  it.each(table)('NO_PROXY=%j, host %s port %i → bypass %s', (value, host, port, bypass) => {
    expect(matchesNoProxy(parseNoProxy(value), host, port)).toBe(bypass);
  });

  it('accepts a list of entries as well as a string', () => {
    const list = parseNoProxy(['internal.test', '10.0.0.0/8']);
    expect(matchesNoProxy(list, 'a.internal.test', 80)).toBe(true);
    expect(matchesNoProxy(list, '10.9.9.9', 80)).toBe(true);
    expect(matchesNoProxy(list, 'example.com', 80)).toBe(false);
  });
});

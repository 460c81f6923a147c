import { describe, expect, it } from 'vitest';
import { matchHostname } from '../src/hostname-match.js';
import { parseIpAddress } from '../src/ip-address.js';

const ip = (text: string): Uint8Array => {
  const bytes = parseIpAddress(text);
  if (bytes === undefined) throw new Error(`bad test IP ${text}`);
  return bytes;
};

// [reference, presented DNS names, presented IPs, expected match (the name) or false]
const cases: Array<[string, string[], string[], string | false]> = [
  // exact DNS names, case and trailing dots (RFC 9525 §6.3, RFC 4343)
  ['example.com', ['example.com'], [], 'DNS:example.com'],
  ['EXAMPLE.com', ['example.COM'], [], 'DNS:example.COM'],
  ['example.com.', ['example.com'], [], 'DNS:example.com'],
  ['example.com', ['example.com.'], [], 'DNS:example.com.'],
  ['example.com', ['www.example.com'], [], false],
  ['www.example.com', ['example.com'], [], false],
  ['example.com', ['example.co'], [], false],
  ['example.com', [], [], false],
  ['example.com', ['other.example', 'example.com'], [], 'DNS:example.com'],
  // wildcards: whole left-most label, exactly one label
  ['foo.example.com', ['*.example.com'], [], 'DNS:*.example.com'],
  ['FOO.Example.Com', ['*.EXAMPLE.com'], [], 'DNS:*.EXAMPLE.com'],
  ['example.com', ['*.example.com'], [], false],
  ['a.b.example.com', ['*.example.com'], [], false],
  ['.example.com', ['*.example.com'], [], false],
  ['bar.example.com', ['ba*.example.com'], [], false],
  ['bar.example.com', ['*ar.example.com'], [], false],
  ['bar.example.com', ['b*r.example.com'], [], false],
  ['a.b.example.com', ['*.*.example.com'], [], false],
  ['www.a.example.com', ['www.*.example.com'], [], false],
  ['www.example.com', ['*'], [], false],
  ['example.com', ['*.com'], [], false],
  ['foo.com', ['*.com'], [], false],
  ['co.uk', ['*.uk'], [], false],
  ['foo.example.com', ['*.example.com.'], [], 'DNS:*.example.com.'],
  ['foo.example.com.', ['*.example.com'], [], 'DNS:*.example.com'],
  // IDNA: references in U-labels are compared as A-labels
  ['bücher.example', ['xn--bcher-kva.example'], [], 'DNS:xn--bcher-kva.example'],
  ['xn--bcher-kva.example', ['XN--BCHER-KVA.example'], [], 'DNS:XN--BCHER-KVA.example'],
  ['bücher.example', ['*.example'], [], false],
  ['xn--bcher-kva.example.com', ['*.example.com'], [], 'DNS:*.example.com'],
  ['bucher.example', ['xn--bcher-kva.example'], [], false],
  // no Common Name fallback, invalid presented names never match
  ['localhost', [], ['127.0.0.1'], false],
  ['exa mple.com', ['exa mple.com'], [], false],
  ['example.com', ['example..com'], [], false],
  // IP references: only iPAddress SANs, any textual form
  ['127.0.0.1', [], ['127.0.0.1'], 'IP:127.0.0.1'],
  ['127.0.0.1', ['127.0.0.1'], [], false],
  ['127.0.0.1', [], ['127.0.0.2'], false],
  ['127.0.0.1', [], ['::ffff:127.0.0.1'], false],
  ['::1', [], ['0:0:0:0:0:0:0:1'], 'IP:0:0:0:0:0:0:0:1'],
  ['[::1]', [], ['::1'], 'IP:0:0:0:0:0:0:0:1'],
  ['0:0:0:0:0:0:0:1', [], ['::1'], 'IP:0:0:0:0:0:0:0:1'],
  ['2001:DB8::1', [], ['2001:db8:0:0:0:0:0:1'], 'IP:2001:db8:0:0:0:0:0:1'],
  ['2001:db8::0:1', [], ['2001:db8::1'], 'IP:2001:db8:0:0:0:0:0:1'],
  ['::ffff:127.0.0.1', [], ['::ffff:7f00:1'], 'IP:0:0:0:0:0:ffff:7f00:1'],
  ['::ffff:127.0.0.1', [], ['127.0.0.1'], false],
  ['::1', ['::1'], [], false],
  ['2001:db8::1', [], ['2001:db8::2'], false],
];

describe('matchHostname (RFC 9525)', () => {
  it.each(cases)('%s against DNS %j IP %j → %s', (reference, dnsNames, ips, expected) => {
    const verdict = matchHostname(reference, { dnsNames, ipAddresses: ips.map(ip) });
    if (expected === false) expect(verdict.matched).toBe(false);
    else expect(verdict).toEqual({ matched: true, name: expected });
  });

  it('explains a mismatch with every name presented', () => {
    const verdict = matchHostname('api.example.com', {
      dnsNames: ['www.example.com', '*.other.example'],
      ipAddresses: [ip('10.0.0.1')],
    });
    expect(verdict).toEqual({
      matched: false,
      reason:
        'host api.example.com matches none of the names presented: DNS:www.example.com, DNS:*.other.example, IP:10.0.0.1',
    });
  });

  it('says the Common Name is not used when there is no DNS name', () => {
    const verdict = matchHostname('localhost', { dnsNames: [], ipAddresses: [] });
    expect(verdict.matched).toBe(false);
    if (!verdict.matched) expect(verdict.reason).toContain('Common Name is not used (RFC 9525 §6.3)');
  });

  it('refuses a reference that is not a DNS name', () => {
    const verdict = matchHostname('bad_host!', { dnsNames: ['bad_host!'], ipAddresses: [] });
    expect(verdict.matched).toBe(false);
  });
});

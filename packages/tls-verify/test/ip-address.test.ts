import { describe, expect, it } from 'vitest';
import { formatIpAddress, parseIpAddress, parseIpv4, parseIpv6 } from '../src/ip-address.js';

describe('IP address parsing', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['::', '0:0:0:0:0:0:0:0'],
    ['::1', '0:0:0:0:0:0:0:1'],
    ['[::1]', '0:0:0:0:0:0:0:1'],
    ['1::', '1:0:0:0:0:0:0:0'],
    ['FE80::A:b', 'fe80:0:0:0:0:0:a:b'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1:2:3:4:5:6::8', '1:2:3:4:5:6:0:8'],
    ['::ffff:192.0.2.1', '0:0:0:0:0:ffff:c000:201'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0:0:0:0:c000:221'],
    ['0001:0db8:0000:0000:0000:0000:0000:0001', '1:db8:0:0:0:0:0:1'],
  ])('%s → %s', (text, formatted) => {
    const bytes = parseIpAddress(text);
    expect(bytes).toBeDefined();
    expect(formatIpAddress(bytes as Uint8Array)).toBe(formatted);
  });

  it.each([
    '',
    '127.0.0',
    '127.0.0.1.1',
    '256.0.0.1',
    '01.0.0.1',
    '127.1',
    '0x7f.0.0.1',
    ' 127.0.0.1',
    'localhost',
    ':::',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7::8',
    '12345::1',
    'fe80::1%eth0',
    '::ffff:256.0.0.1',
    '::1.2.3.4:5',
    'g::1',
  ])('refuses %j', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });

  it('keeps IPv4 and IPv6 apart', () => {
    expect(parseIpv4('::1')).toBeUndefined();
    expect(parseIpv6('127.0.0.1')).toBeUndefined();
    expect(parseIpv4('10.1.2.3')).toEqual(new Uint8Array([10, 1, 2, 3]));
  });
});

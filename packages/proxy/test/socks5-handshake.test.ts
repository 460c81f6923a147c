import { describe, expect, it } from 'vitest';
import {
  decodeCredentialsStatus,
  decodeMethodChoice,
  decodeReply,
  encodeConnect,
  encodeCredentials,
  encodeGreeting,
  socksReplyMeaning,
} from '../src/socks5-handshake.js';
import { invalidRequest } from './support/invalid-request.js';

// The SOCKS5 codec alone, byte by byte, with no socket.

const bytes = (...values: number[]) => Buffer.from(values);

describe('greeting and method choice (RFC 1928 §3)', () => {
  it('offers the given methods after version 5 and their count', () => {
    expect([...encodeGreeting([0x00])]).toEqual([5, 1, 0]);
    expect([...encodeGreeting([0x00, 0x02])]).toEqual([5, 2, 0, 2]);
  });

  it('takes exactly two bytes for the choice and waits for the second', () => {
    expect(decodeMethodChoice(bytes(5), [0])).toEqual({ status: 'incomplete' });
    expect(decodeMethodChoice(bytes(5, 2, 1, 0), [0, 2])).toEqual({ status: 'done', value: 2, length: 2 });
  });

  it('refuses X’FF’, a method not offered, and a wrong version', () => {
    expect(decodeMethodChoice(bytes(5, 0xff), [0])).toMatchObject({
      status: 'invalid',
      problem: expect.stringContaining('none of the offered methods'),
    });
    expect(decodeMethodChoice(bytes(5, 2), [0])).toMatchObject({ status: 'invalid' });
    expect(decodeMethodChoice(bytes(4, 0), [0])).toMatchObject({ status: 'invalid' });
  });
});

describe('username/password (RFC 1929)', () => {
  it('encodes version 1, then each field after its length byte', () => {
    const request = encodeCredentials(Buffer.from('alice'), Buffer.from('pw'));
    expect([...request]).toEqual([1, 5, ...Buffer.from('alice'), 2, ...Buffer.from('pw')]);
  });

  it('encodes 255-byte fields and an empty password; refuses 256 bytes', () => {
    const long = Buffer.alloc(255, 0x61);
    const request = encodeCredentials(long, Buffer.alloc(0));
    expect(request.length).toBe(1 + 1 + 255 + 1);
    expect(request[1]).toBe(255);
    expect(request.at(-1)).toBe(0);
    invalidRequest(() => encodeCredentials(Buffer.alloc(256), Buffer.alloc(1)));
    invalidRequest(() => encodeCredentials(Buffer.alloc(1), Buffer.alloc(256)));
  });

  it('reads the status: 0 accepts, anything else refuses; version 1 (or 5, as some proxies send)', () => {
    expect(decodeCredentialsStatus(bytes(1))).toEqual({ status: 'incomplete' });
    expect(decodeCredentialsStatus(bytes(1, 0))).toEqual({ status: 'done', value: true, length: 2 });
    expect(decodeCredentialsStatus(bytes(5, 0))).toEqual({ status: 'done', value: true, length: 2 });
    expect(decodeCredentialsStatus(bytes(1, 1))).toEqual({ status: 'done', value: false, length: 2 });
    expect(decodeCredentialsStatus(bytes(2, 0))).toMatchObject({ status: 'invalid' });
  });
});

describe('CONNECT request (RFC 1928 §4)', () => {
  it('sends an IPv4 address as ATYP 1 and the port in network order', () => {
    expect([...encodeConnect({ type: 'ipv4', address: '127.0.0.1' }, 8080)]).toEqual([
      5, 1, 0, 1, 127, 0, 0, 1, 0x1f, 0x90,
    ]);
  });

  it('sends an IPv6 address as ATYP 4, expanding :: and an IPv4 tail', () => {
    expect([...encodeConnect({ type: 'ipv6', address: '::1' }, 443)]).toEqual([
      5,
      1,
      0,
      4,
      ...new Array(15).fill(0),
      1,
      0x01,
      0xbb,
    ]);
    const mapped = encodeConnect({ type: 'ipv6', address: '2001:db8::ffff:10.1.2.3' }, 1);
    expect([...mapped.subarray(4, 20)]).toEqual([
      0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3,
    ]);
    invalidRequest(() => encodeConnect({ type: 'ipv6', address: 'fe80::1%eth0' }, 1));
  });

  it('sends a name as ATYP 3 with its length; 255 bytes at most, never empty', () => {
    expect([...encodeConnect({ type: 'domain', name: 'a.test' }, 80)]).toEqual([
      5,
      1,
      0,
      3,
      6,
      ...Buffer.from('a.test'),
      0,
      80,
    ]);
    expect(encodeConnect({ type: 'domain', name: 'x'.repeat(255) }, 80)[4]).toBe(255);
    invalidRequest(() => encodeConnect({ type: 'domain', name: 'x'.repeat(256) }, 80));
    invalidRequest(() => encodeConnect({ type: 'domain', name: '' }, 80));
  });

  it('refuses a port outside 1–65535 and an address of the wrong family', () => {
    invalidRequest(() => encodeConnect({ type: 'ipv4', address: '127.0.0.1' }, 0));
    invalidRequest(() => encodeConnect({ type: 'ipv4', address: '127.0.0.1' }, 65_536));
    invalidRequest(() => encodeConnect({ type: 'ipv4', address: '::1' }, 80));
  });
});

describe('CONNECT reply (RFC 1928 §6)', () => {
  const success = [5, 0, 0, 1, 10, 0, 0, 1, 0x04, 0x38];

  it('waits for the whole reply, then takes exactly its length', () => {
    for (let cut = 0; cut < success.length; cut++) {
      expect(decodeReply(Buffer.from(success.slice(0, cut)))).toEqual({ status: 'incomplete' });
    }
    expect(decodeReply(Buffer.from([...success, 0x48, 0x54]))).toEqual({
      status: 'done',
      value: { code: 0 },
      length: 10,
    });
  });

  it('sizes IPv6 and name bound addresses', () => {
    const ipv6 = [5, 0, 0, 4, ...new Array(16).fill(0), 0, 1];
    expect(decodeReply(Buffer.from(ipv6))).toMatchObject({ status: 'done', length: 22 });
    expect(decodeReply(Buffer.from(ipv6.slice(0, 21)))).toEqual({ status: 'incomplete' });
    const name = [5, 0, 0, 3, 3, ...Buffer.from('abc'), 0, 1];
    expect(decodeReply(Buffer.from(name))).toMatchObject({ status: 'done', length: 10 });
    expect(decodeReply(Buffer.from([5, 0, 0, 3, 0, 0, 1]))).toMatchObject({ status: 'invalid' });
  });

  it('reports a refusal as soon as its code arrives', () => {
    expect(decodeReply(bytes(5, 5))).toEqual({ status: 'done', value: { code: 5 }, length: 2 });
  });

  it('refuses a wrong version and an unknown address type', () => {
    expect(decodeReply(Buffer.from([4, ...success.slice(1)]))).toMatchObject({ status: 'invalid' });
    expect(decodeReply(bytes(5, 0, 0, 2, 0, 0, 0, 0, 0, 0))).toMatchObject({
      status: 'invalid',
      problem: expect.stringContaining('address type 2'),
    });
  });

  it('names every RFC 1928 reply code', () => {
    expect(socksReplyMeaning(1)).toBe('general SOCKS server failure');
    expect(socksReplyMeaning(2)).toBe('connection not allowed by ruleset');
    expect(socksReplyMeaning(5)).toBe('connection refused');
    expect(socksReplyMeaning(8)).toBe('address type not supported');
    expect(socksReplyMeaning(9)).toBe('unassigned reply code');
  });
});

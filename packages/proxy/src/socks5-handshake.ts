import { isIPv4, isIPv6 } from 'node:net';
import { HttpClientError } from '@x/core';

/*
 * The bytes of a SOCKS5 CONNECT (RFC 1928) with username/password
 * authentication (RFC 1929), pure and I/O-free: encoders for what the client
 * sends, decoders for what the proxy answers. A decoder reads from the start
 * of the bytes received so far and says whether they are too few, invalid,
 * or a whole message of `length` bytes; it never reads past that message.
 */

export const SOCKS_VERSION = 0x05;
/** RFC 1928 §3 method numbers. */
export const SOCKS_NO_AUTH = 0x00;
export const SOCKS_USERNAME_PASSWORD = 0x02;
const NO_ACCEPTABLE_METHOD = 0xff;
const CONNECT_COMMAND = 0x01;
/** RFC 1929 §2: the version of the username/password sub-negotiation. */
const CREDENTIALS_VERSION = 0x01;

/** Where the proxy should connect: an address it dials as is, or a name it resolves (socks5h). */
export type SocksAddress =
  | { readonly type: 'ipv4' | 'ipv6'; readonly address: string }
  | { readonly type: 'domain'; readonly name: string };

export type Decoded<T> =
  | { readonly status: 'incomplete' }
  | { readonly status: 'invalid'; readonly problem: string }
  | { readonly status: 'done'; readonly value: T; readonly length: number };

export interface SocksReply {
  /** REP: 0 succeeded, anything else a refusal (see `socksReplyMeaning`). */
  readonly code: number;
}

const INCOMPLETE: Decoded<never> = Object.freeze({ status: 'incomplete' });
const invalid = (problem: string): Decoded<never> => ({ status: 'invalid', problem });

/** RFC 1928 §6, the REP field. */
const REPLY_MEANINGS: readonly string[] = [
  'succeeded',
  'general SOCKS server failure',
  'connection not allowed by ruleset',
  'network unreachable',
  'host unreachable',
  'connection refused',
  'TTL expired',
  'command not supported',
  'address type not supported',
];

export function socksReplyMeaning(code: number): string {
  return REPLY_MEANINGS[code] ?? 'unassigned reply code';
}

/** The greeting: version, then the methods offered (RFC 1928 §3). */
export function encodeGreeting(methods: readonly number[]): Buffer {
  if (methods.length < 1 || methods.length > 255) throw tooLong('the SOCKS method list');
  return Buffer.from([SOCKS_VERSION, methods.length, ...methods]);
}

/** The proxy's choice of method: 2 bytes; X'FF' or a method not offered is refused. */
export function decodeMethodChoice(bytes: Uint8Array, offered: readonly number[]): Decoded<number> {
  if (bytes.length < 2) return INCOMPLETE;
  if (bytes[0] !== SOCKS_VERSION) return invalid(`version ${bytes[0]} in the method choice`);
  const method = bytes[1] as number;
  if (method === NO_ACCEPTABLE_METHOD) return invalid('the proxy accepts none of the offered methods');
  if (!offered.includes(method)) return invalid(`the proxy chose method ${method}, which was not offered`);
  return { status: 'done', value: method, length: 2 };
}

/**
 * The username/password request (RFC 1929 §2). Each field is 0–255 bytes:
 * the RFC asks for at least 1, but proxies accept an empty password and
 * curl sends one, so only the upper bound is enforced.
 */
export function encodeCredentials(username: Uint8Array, password: Uint8Array): Buffer {
  if (username.length > 255) throw tooLong('the SOCKS user name');
  if (password.length > 255) throw tooLong('the SOCKS password');
  return Buffer.concat([
    Buffer.from([CREDENTIALS_VERSION, username.length]),
    username,
    Buffer.from([password.length]),
    password,
  ]);
}

/**
 * The proxy's verdict on the credentials: 2 bytes, status 0 accepts.
 * RFC 1929 says version 1; some proxies answer 5, and the status byte is
 * what matters, so either is taken.
 */
export function decodeCredentialsStatus(bytes: Uint8Array): Decoded<boolean> {
  if (bytes.length < 2) return INCOMPLETE;
  if (bytes[0] !== CREDENTIALS_VERSION && bytes[0] !== SOCKS_VERSION)
    return invalid(`version ${bytes[0]} in the authentication answer`);
  return { status: 'done', value: bytes[1] === 0, length: 2 };
}

/** The CONNECT request (RFC 1928 §4): VER CMD RSV ATYP DST.ADDR DST.PORT. */
export function encodeConnect(destination: SocksAddress, port: number): Buffer {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new HttpClientError('INVALID_REQUEST', `SOCKS destination port ${port} is out of range`, {
      requestSent: false,
    });
  }
  const portBytes = Buffer.from([port >> 8, port & 0xff]);
  return Buffer.concat([
    Buffer.from([SOCKS_VERSION, CONNECT_COMMAND, 0x00]),
    addressBytes(destination),
    portBytes,
  ]);
}

function addressBytes(destination: SocksAddress): Buffer {
  if (destination.type === 'domain') {
    const name = Buffer.from(destination.name, 'utf8');
    if (name.length === 0) throw badAddress(destination.name);
    if (name.length > 255) throw tooLong('the host name sent to the SOCKS proxy');
    return Buffer.concat([Buffer.from([0x03, name.length]), name]);
  }
  if (destination.type === 'ipv6')
    return Buffer.concat([Buffer.from([0x04]), ipv6Bytes(destination.address)]);
  if (!isIPv4(destination.address)) throw badAddress(destination.address);
  return Buffer.from([0x01, ...destination.address.split('.').map(Number)]);
}

/**
 * The CONNECT reply (RFC 1928 §6): VER REP RSV ATYP BND.ADDR BND.PORT. A
 * refusal is reported as soon as its code has arrived: the proxy closes
 * after it, and the bound address of a refusal means nothing. RSV is not
 * checked (nothing depends on it).
 */
export function decodeReply(bytes: Uint8Array): Decoded<SocksReply> {
  if (bytes.length < 2) return INCOMPLETE;
  if (bytes[0] !== SOCKS_VERSION) return invalid(`version ${bytes[0]} in the CONNECT reply`);
  const code = bytes[1] as number;
  if (code !== 0) return { status: 'done', value: { code }, length: 2 };
  if (bytes.length < 5) return INCOMPLETE;
  const type = bytes[3];
  const addressLength =
    type === 0x01 ? 4 : type === 0x04 ? 16 : type === 0x03 ? (bytes[4] as number) + 1 : -1;
  if (addressLength === -1) return invalid(`address type ${type} in the CONNECT reply`);
  if (type === 0x03 && addressLength === 1) return invalid('an empty bound name in the CONNECT reply');
  const length = 4 + addressLength + 2;
  if (bytes.length < length) return INCOMPLETE;
  return { status: 'done', value: { code }, length };
}

/** The 16 bytes of an IPv6 literal (with `::` and an IPv4 tail as Node's parser accepts them). */
function ipv6Bytes(text: string): Buffer {
  // A zone index (fe80::1%eth0) means nothing to the proxy.
  if (!isIPv6(text) || text.includes('%')) throw badAddress(text);
  const [head = '', tail] = text.split('::') as [string, string | undefined];
  const groups = (part: string): number[] => {
    if (part === '') return [];
    const result: number[] = [];
    for (const piece of part.split(':')) {
      if (piece.includes('.')) {
        const [a, b, c, d] = piece.split('.').map(Number) as [number, number, number, number];
        result.push((a << 8) | b, (c << 8) | d);
      } else result.push(Number.parseInt(piece, 16));
    }
    return result;
  };
  const before = groups(head);
  const after = tail === undefined ? [] : groups(tail);
  const all = [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
  const bytes = Buffer.alloc(16);
  for (const [index, group] of all.entries()) bytes.writeUInt16BE(group, index * 2);
  return bytes;
}

function tooLong(what: string): HttpClientError {
  return new HttpClientError('INVALID_REQUEST', `${what} is longer than 255 bytes`, { requestSent: false });
}

function badAddress(text: string): HttpClientError {
  return new HttpClientError('INVALID_REQUEST', `"${text}" is not a valid SOCKS destination`, {
    requestSent: false,
  });
}

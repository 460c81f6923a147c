import type { Duplex } from 'node:stream';
import type { Clock } from './clock.js';
import type { ResponseMeta } from './transport.js';

/**
 * The second seam: whatever makes a byte stream to an origin. Plain TCP,
 * TLS with a verification policy, a Unix socket, a proxy tunnel or a test's
 * in-memory pipe are all Connectors; `protocol` and `pool` take one.
 */
export interface ConnectTarget {
  readonly scheme: 'http' | 'https';
  /** Host name or IP literal, IPv6 without brackets. */
  readonly host: string;
  readonly port: number;
  /** TLS server name (SNI and hostname check); undefined for IP literals. */
  readonly servername?: string | undefined;
  /** ALPN protocols to offer, most preferred first. */
  readonly alpn?: readonly string[] | undefined;
}

export interface ConnectOptions {
  /** Aborts the attempt; the connector rejects with ABORTED and leaves no socket. */
  signal?: AbortSignal | undefined;
  /** Deadline for the whole connect (TCP and TLS), in ms; TIMEOUT with phase "connect". */
  timeout?: number | undefined;
  clock?: Clock | undefined;
}

/**
 * Resolves with a connected, ready-to-write stream, or rejects with an
 * HttpClientError (CONNECT_FAILED, DNS_FAILED, TLS_FAILED, TIMEOUT or
 * ABORTED) with `requestSent: false`.
 */
export type Connector = (target: ConnectTarget, options: ConnectOptions) => Promise<Duplex>;

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** True for an IPv4 or IPv6 literal host (as URL.hostname gives it, IPv6 in brackets or not). */
export function isIpLiteral(host: string): boolean {
  if (host.startsWith('[') || host.includes(':')) return true;
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host);
}

/** Where a URL's request goes: scheme, host (brackets removed), port, SNI name. */
export function connectTargetFor(url: URL): ConnectTarget {
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const bracketed = url.hostname.startsWith('[');
  const host = bracketed ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? (DEFAULT_PORTS[url.protocol] ?? 80) : Number(url.port);
  return {
    scheme,
    host,
    port,
    servername: scheme === 'https' && !isIpLiteral(host) ? host.replace(/\.$/, '') : undefined,
  };
}

/** "scheme://host:port", the identity of an origin (RFC 6454), always with the port. */
export function originKey(url: URL): string {
  const target = connectTargetFor(url);
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.scheme}://${host.toLowerCase()}:${target.port}`;
}

const CONNECTION_META = Symbol.for('@x/core.connectionMeta');

/**
 * Lets a connector attach response metadata to the stream it made (TLS
 * details, proxy used); the protocol copies it into every response carried
 * on that connection.
 */
export function setConnectionMeta(stream: Duplex, meta: Partial<ResponseMeta>): void {
  const holder = stream as unknown as Record<symbol, Partial<ResponseMeta> | undefined>;
  holder[CONNECTION_META] = { ...(holder[CONNECTION_META] ?? {}), ...meta };
}

export function getConnectionMeta(stream: Duplex): Partial<ResponseMeta> | undefined {
  return (stream as unknown as Record<symbol, Partial<ResponseMeta> | undefined>)[CONNECTION_META];
}

import type { Clock, Connector, ConnectTarget, HttpRequest } from '@x/core';
import type { Http1ConnectionOptions } from '@x/protocol';

export interface PoolOptions {
  /**
   * Makes the sockets. Default: plain TCP for http:, Node's TLS with default
   * verification for https: (use `@x/tls-verify` for a real policy).
   */
  connector?: Connector;
  /**
   * The identity of what the connector builds for a target, beyond its
   * origin: trust store, client certificate, pins, proxy (SECURITY.md 15).
   * Two requests share a connection only when origin and this key agree.
   * Default: the connector's own `poolKey` property if it has one, else "".
   */
  connectorKey?: (target: ConnectTarget) => string;
  /** Connections per origin. Default 10. */
  connectionsPerOrigin?: number;
  /** Connections across all origins (undici has no such cap; exhausting sockets is an outage). Default 256. */
  maxConnections?: number;
  /** Requests waiting for a connection, per origin; past it, LIMIT_EXCEEDED. Default 10,000. */
  maxQueuedPerOrigin?: number;
  /** How long a request may wait in the queue; TIMEOUT with phase "queue". Default 30 s. */
  queueTimeout?: number;
  /** Connect deadline (TCP + TLS). Default 10 s. */
  connectTimeout?: number;
  /** An idle connection closes after this; shortened to the server's Keep-Alive timeout minus 1 s. Default 4 s. */
  idleTimeout?: number;
  /** Exchanges per connection before it is retired. Default Infinity. */
  maxRequestsPerConnection?: number;
  /** Age after which a connection is retired once idle. Default Infinity. */
  maxConnectionAge?: number;
  /**
   * Requests in flight on one connection. 1 (default) turns pipelining off
   * (SECURITY.md 16); above 1, only requests for which `pipelinable` says
   * yes are pipelined.
   */
  pipelining?: number;
  /** Which requests may be pipelined. Default: idempotent methods without a body. */
  pipelinable?: (request: HttpRequest) => boolean;
  /** Resend once on a fresh connection when a reused one turned out dead before any response byte. Default true. */
  retryStaleConnections?: boolean;
  /** Options passed to every Http1Connection (parser limits, timeouts, bufferLimit...). */
  connection?: Omit<Http1ConnectionOptions, 'id' | 'clock' | 'maxPipelined' | 'maxRequests' | 'connectedAt'>;
  clock?: Clock;
}

export interface ResolvedPoolOptions {
  connector: Connector;
  connectorKey: (target: ConnectTarget) => string;
  connectionsPerOrigin: number;
  maxConnections: number;
  maxQueuedPerOrigin: number;
  queueTimeout: number;
  connectTimeout: number;
  idleTimeout: number;
  maxRequestsPerConnection: number;
  maxConnectionAge: number;
  pipelining: number;
  pipelinable: (request: HttpRequest) => boolean;
  retryStaleConnections: boolean;
  connection: NonNullable<PoolOptions['connection']>;
  clock: Clock;
}

export const POOL_DEFAULTS = Object.freeze({
  connectionsPerOrigin: 10,
  maxConnections: 256,
  maxQueuedPerOrigin: 10_000,
  queueTimeout: 30_000,
  connectTimeout: 10_000,
  idleTimeout: 4_000,
  maxRequestsPerConnection: Number.POSITIVE_INFINITY,
  maxConnectionAge: Number.POSITIVE_INFINITY,
  pipelining: 1,
  retryStaleConnections: true,
});

/** RFC 9110 §9.2.2 idempotent methods. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'OPTIONS',
  'TRACE',
  'PUT',
  'DELETE',
]);

/** Pipelining only ever carries idempotent requests without a body (SECURITY.md 16). */
export function defaultPipelinable(request: HttpRequest): boolean {
  return request.body === null && IDEMPOTENT_METHODS.has(request.method.toUpperCase());
}

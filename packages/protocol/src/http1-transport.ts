import {
  abortError,
  type Clock,
  type Connector,
  connectTargetFor,
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  systemClock,
  toHttpClientError,
} from '@x/core';
import { Http1Connection, type Http1ConnectionOptions } from './http1-connection.js';
import { ownOption } from './phase-timeouts.js';
import { DEFAULT_CONNECT_TIMEOUT, tcpConnector } from './tcp-connector.js';
import { tlsConnector } from './tls-connector.js';

export interface Http1TransportOptions
  extends Omit<Http1ConnectionOptions, 'id' | 'connectedAt' | 'maxRequests' | 'maxPipelined' | 'timeouts'> {
  /** Makes the sockets. Default: `schemeConnector()` (TCP for http:, TLS for https:). */
  connector?: Connector | undefined;
  /** Default deadlines; a request's `options.timeout` overrides each. */
  timeouts?:
    | {
        connect?: number | undefined;
        headers?: number | undefined;
        bodyIdle?: number | undefined;
        total?: number | undefined;
      }
    | undefined;
}

export interface Http1Transport extends HttpTransport {
  /** Connections currently open (each carries one exchange). */
  readonly openConnections: number;
}

/** TCP for http: targets, TLS (Node's default verification) for https:. */
export function schemeConnector(
  http: Connector = tcpConnector(),
  https: Connector = tlsConnector(),
): Connector {
  return (target, options) => (target.scheme === 'https' ? https(target, options) : http(target, options));
}

/**
 * The simplest transport: one fresh connection per request, closed after
 * its response (it sends `Connection: close`). `@x/pool` adds persistence.
 */
export function createHttp1Transport(options: Http1TransportOptions = {}): Http1Transport {
  // Own properties only (SECURITY.md rule 4): an inherited `connector` must not carry every request.
  const clock: Clock = ownOption(options, 'clock') ?? systemClock();
  const connector = ownOption(options, 'connector') ?? schemeConnector();
  const timeouts = ownOption(options, 'timeouts');
  const connections = new Set<Http1Connection>();
  let nextId = 0;
  let closed = false;

  async function request(request: HttpRequest): Promise<HttpResponse> {
    const { method, url } = request;
    if (closed) {
      throw new HttpClientError('TRANSPORT_CLOSED', 'The transport is closed', {
        method,
        url,
        requestSent: false,
      });
    }
    if (request.signal?.aborted) throw abortError(request.signal, { method, url, requestSent: false });
    const startedAt = clock.monotonic();
    const timeout = request.options.timeout;
    // The total deadline covers connecting too: when it is the nearer one, it bounds the connect.
    const connectLimit =
      ownOption(timeout, 'connect') ?? ownOption(timeouts, 'connect') ?? DEFAULT_CONNECT_TIMEOUT;
    const total = ownOption(timeout, 'total') ?? ownOption(timeouts, 'total');
    const totalFirst = total !== undefined && total < connectLimit;
    let socket: Awaited<ReturnType<Connector>>;
    try {
      socket = await connector(connectTargetFor(url), {
        signal: request.signal,
        timeout: totalFirst ? total : connectLimit,
        clock,
      });
    } catch (error) {
      if (totalFirst && HttpClientError.is(error, 'TIMEOUT')) {
        throw new HttpClientError('TIMEOUT', 'Timed out (total) while connecting', {
          method,
          url,
          requestSent: false,
          phase: 'total',
          cause: error,
        });
      }
      const failure = toHttpClientError(error, {
        code: 'CONNECT_FAILED',
        message: 'The connector failed',
        requestSent: false,
      });
      throw failure.withRequest(method, url, false);
    }
    if (closed) {
      socket.destroy();
      throw new HttpClientError('TRANSPORT_CLOSED', 'The transport closed while connecting', {
        method,
        url,
        requestSent: false,
      });
    }
    const connection = new Http1Connection(socket, {
      ...options,
      id: ++nextId,
      clock,
      maxRequests: 1,
      maxPipelined: 1,
      connectedAt: clock.monotonic(),
      timeouts,
    });
    connections.add(connection);
    connection.once('close', () => connections.delete(connection));
    return connection.request(request, { startedAt });
  }

  return {
    request,
    get openConnections() {
      return connections.size;
    },
    async close() {
      closed = true;
      await Promise.all([...connections].map((connection) => connection.close()));
    },
  };
}

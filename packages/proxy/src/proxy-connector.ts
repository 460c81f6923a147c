import { promises as dns } from 'node:dns';
import type { Duplex } from 'node:stream';
import {
  abortError,
  type Clock,
  type ConnectOptions,
  type Connector,
  type ConnectTarget,
  HttpClientError,
  setConnectionMeta,
  systemClock,
} from '@x/core';
import { DEFAULT_CONNECT_TIMEOUT, tcpConnector, tlsConnector } from '@x/protocol';
import { openTunnel } from './connect-tunnel.js';
import type { ProxyEndpoint } from './proxy-endpoint.js';
import { type ProxyMeta, proxyMeta } from './proxy-meta.js';
import { createProxyRouter, type ProxyOptions } from './proxy-routing.js';
import { openSocksTunnel, type SocksLookup, socksDestination } from './socks5-connect.js';
import { defaultTunnelTls, type OriginTlsFactory } from './tunnel-tls.js';

export interface ProxyConnectorOptions extends ProxyOptions {
  /** Reaches origins that bypass the proxy. Default: TCP for http:, Node TLS for https: (`@x/protocol`). */
  readonly direct?: Connector | undefined;
  /**
   * Reaches the proxy itself. Default: TCP for an http:// proxy; for an
   * https:// proxy Node TLS verifying the proxy's certificate for its own
   * name, trusting `proxyCa` in addition to Node's roots. Pass
   * `@x/tls-verify`'s `tlsConnector(policy)` for a full trust policy of its own.
   */
  readonly proxyConnect?: Connector | undefined;
  /** Extra trusted CAs (PEM) for an https:// proxy, used by the default `proxyConnect`. */
  readonly proxyCa?: string | Buffer | readonly (string | Buffer)[] | undefined;
  /**
   * TLS to the origin through the tunnel, given the tunnel factory. Default:
   * `defaultTunnelTls()` (Node's verification). With `@x/tls-verify`:
   * `tls: (connect) => tlsConnector({ ...policy, connect })`.
   */
  readonly tls?: OriginTlsFactory | undefined;
  /**
   * Resolves origin names for a `socks5://` proxy (the client resolves and
   * sends an address). Default `dns.promises.lookup`. Unused for `socks5h://`.
   */
  readonly socksLookup?: SocksLookup | undefined;
  /** Whole-connect deadline (proxy, CONNECT or SOCKS handshake, TLS) when the caller gives none, ms. Default 10 000. */
  readonly connectTimeout?: number | undefined;
  readonly clock?: Clock | undefined;
}

/** A Connector that goes through a proxy where the routing says so; `poolKey` keeps routes apart. */
export interface ProxyConnector extends Connector {
  /** Pool key part: the route, the proxy (credentials hashed) and the inner connectors' keys. */
  poolKey(target: ConnectTarget): string;
}

/**
 * The socket half of proxy support. For each target it either connects
 * directly, or connects to the proxy (http: origins: the stream is the
 * proxy connection and `withProxy` makes requests absolute-form), or opens
 * a CONNECT tunnel through the proxy and runs TLS to the origin over it
 * (https: origins), verified for the origin's name. A SOCKS5 proxy tunnels
 * both schemes: the stream is the SOCKS tunnel for http:, TLS over it for https:.
 */
export function proxyConnector(options: ProxyConnectorOptions = {}): ProxyConnector {
  const own = <K extends keyof ProxyConnectorOptions>(key: K): ProxyConnectorOptions[K] =>
    Object.hasOwn(options, key) ? options[key] : undefined;
  const router = createProxyRouter(options);
  const clock = own('clock') ?? systemClock();
  const connectTimeout = own('connectTimeout') ?? DEFAULT_CONNECT_TIMEOUT;
  const plain = tcpConnector();
  const secure = tlsConnector();
  const direct: Connector =
    own('direct') ??
    ((target, connectOptions) => (target.scheme === 'https' ? secure : plain)(target, connectOptions));
  const proxyCa = own('proxyCa');
  const proxyTls = proxyCa === undefined ? secure : tlsConnector({ ca: proxyCa });
  const proxyConnect: Connector =
    own('proxyConnect') ??
    ((target, connectOptions) => (target.scheme === 'https' ? proxyTls : plain)(target, connectOptions));

  const reachProxy = (proxy: ProxyEndpoint, connectOptions: ConnectOptions): Promise<Duplex> =>
    proxyConnect(proxy.target, connectOptions).catch((error: unknown) => {
      throw unreachableProxy(error, proxy);
    });

  const socksLookup: SocksLookup = own('socksLookup') ?? ((hostname) => dns.lookup(hostname));
  const throughSocks = async (
    proxy: ProxyEndpoint,
    target: ConnectTarget,
    connectOptions: ConnectOptions,
  ): Promise<Duplex> => {
    // Resolved before the proxy is dialled: a name that does not resolve costs no proxy connection.
    const destination = await socksDestination(target, proxy, socksLookup, connectOptions.signal);
    const stream = await reachProxy(proxy, connectOptions);
    return openSocksTunnel(stream, destination, target.port, proxy, { signal: connectOptions.signal });
  };

  const originTls = (own('tls') ?? defaultTunnelTls())((target, connectOptions) => {
    const route = router.route(target);
    if (route.kind === 'socks') return throughSocks(route.proxy, target, connectOptions);
    if (route.kind !== 'tunnel') return direct(target, connectOptions);
    const signal = connectOptions.signal ?? new AbortController().signal;
    return reachProxy(route.proxy, connectOptions).then((stream) =>
      openTunnel(stream, target, route.proxy, {
        signal,
        clock: connectOptions.clock ?? clock,
        headersTimeout: connectOptions.timeout ?? connectTimeout,
      }),
    );
  });

  const connector = (target: ConnectTarget, connectOptions: ConnectOptions = {}): Promise<Duplex> => {
    const route = router.route(target);
    if (route.kind === 'direct') return direct(target, connectOptions);
    const meta: ProxyMeta = { url: route.proxy.url, mode: route.kind };
    return withDeadline(connectOptions, clock, connectTimeout, route.proxy, (bounded) => {
      if (route.kind === 'forward') return reachProxy(route.proxy, bounded);
      if (route.kind === 'socks' && target.scheme === 'http')
        return throughSocks(route.proxy, target, bounded);
      return originTls(target, bounded);
    }).then((stream) => {
      setConnectionMeta(stream, proxyMeta(meta));
      return stream;
    });
  };

  const keys = {
    direct: keyOf(direct),
    proxy: keyOf(proxyConnect),
    tls: keyOf(originTls),
  };
  return Object.assign(connector, {
    poolKey(target: ConnectTarget): string {
      const route = router.route(target);
      if (route.kind === 'direct') return `direct|${keys.direct(target)}`;
      const viaProxy = `${route.kind}|${route.proxy.key}|${keys.proxy(route.proxy.target)}`;
      return target.scheme === 'https' ? `${viaProxy}|${keys.tls(target)}` : viaProxy;
    },
  });
}

/** A connector's own key (`poolKey` function or string, or tls-verify's `policyKey`), as @x/pool reads it. */
function keyOf(connector: Connector): (target: ConnectTarget) => string {
  const tagged = connector as Connector & { poolKey?: unknown; policyKey?: unknown };
  const declared = tagged.poolKey ?? tagged.policyKey;
  if (typeof declared === 'function') return (target) => String(declared.call(connector, target));
  if (typeof declared === 'string') return () => declared;
  return () => '';
}

function unreachableProxy(error: unknown, proxy: ProxyEndpoint): HttpClientError {
  if (!HttpClientError.is(error)) {
    return new HttpClientError('CONNECT_FAILED', `Cannot reach proxy ${proxy.url}`, {
      requestSent: false,
      cause: error,
      details: { proxy: proxy.url },
    });
  }
  if (error.code === 'ABORTED' || error.code === 'TIMEOUT') return error;
  return new HttpClientError(error.code, `Proxy ${proxy.url}: ${error.message}`, {
    requestSent: false,
    cause: error,
    phase: error.phase,
    rule: error.rule,
    details: { ...error.details, proxy: proxy.url },
  });
}

/**
 * One deadline and one abort for the whole proxied connect (proxy, CONNECT
 * or SOCKS handshake, TLS): whatever step is running when it fires is cancelled and nothing is
 * left behind.
 */
async function withDeadline(
  connectOptions: ConnectOptions,
  defaultClock: Clock,
  defaultTimeout: number,
  proxy: ProxyEndpoint,
  run: (bounded: ConnectOptions) => Promise<Duplex>,
): Promise<Duplex> {
  const clock = connectOptions.clock ?? defaultClock;
  const timeout = connectOptions.timeout ?? defaultTimeout;
  const outer = connectOptions.signal;
  if (outer?.aborted) throw abortError(outer, { requestSent: false });
  const controller = new AbortController();
  let timedOut = false;
  const timer = clock.setTimer(() => {
    timedOut = true;
    controller.abort(new Error('connect deadline'));
  }, timeout);
  const onAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  try {
    return await run({ signal: controller.signal, timeout, clock });
  } catch (error) {
    if (timedOut) {
      throw new HttpClientError(
        'TIMEOUT',
        `Connecting through proxy ${proxy.url} took longer than ${timeout} ms`,
        {
          requestSent: false,
          phase: 'connect',
          cause: error,
          details: { proxy: proxy.url },
        },
      );
    }
    if (outer?.aborted) throw abortError(outer, { requestSent: false });
    throw error;
  } finally {
    timer.cancel();
    outer?.removeEventListener('abort', onAbort);
  }
}

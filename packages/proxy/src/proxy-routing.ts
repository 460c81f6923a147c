import type { ConnectTarget } from '@x/core';
import { matchesNoProxy, type NoProxyList, parseNoProxy } from './no-proxy.js';
import { type ProxyEndpoint, type ProxyInput, parseProxy } from './proxy-endpoint.js';

/**
 * Which proxy, if any, serves each scheme. The same plain object configures
 * `proxyConnector` (sockets) and `withProxy` (requests); build it by hand or
 * with `proxyFromEnvironment(env)` and override fields per client.
 */
export interface ProxyOptions {
  /** Proxy for http: requests (forwarded with an absolute-form target, or through a SOCKS5 tunnel). */
  readonly http?: ProxyInput | undefined;
  /** Proxy for https: requests (a CONNECT or SOCKS5 tunnel, then TLS to the origin). */
  readonly https?: ProxyInput | undefined;
  /** Hosts that bypass the proxy: a NO_PROXY string or a list of its entries. */
  readonly noProxy?: string | readonly string[] | undefined;
}

/** How one origin is reached. */
export type ProxyRoute =
  | { readonly kind: 'direct' }
  /** http: through the proxy: the connection goes to the proxy, requests use absolute-form (RFC 9112 §3.2.2). */
  | { readonly kind: 'forward'; readonly proxy: ProxyEndpoint }
  /** https: through a CONNECT tunnel (RFC 9110 §9.3.6), TLS end to end with the origin. */
  | { readonly kind: 'tunnel'; readonly proxy: ProxyEndpoint }
  /**
   * http: or https: through a SOCKS5 CONNECT (RFC 1928): requests go in
   * origin-form as on a direct connection, https: with TLS to the origin.
   */
  | { readonly kind: 'socks'; readonly proxy: ProxyEndpoint };

export interface ProxyRouter {
  route(target: Pick<ConnectTarget, 'scheme' | 'host' | 'port'>): ProxyRoute;
  readonly http: ProxyEndpoint | undefined;
  readonly https: ProxyEndpoint | undefined;
  readonly noProxy: NoProxyList;
}

const DIRECT: ProxyRoute = Object.freeze({ kind: 'direct' });

/** Validates options (own properties only) once; the router is pure. */
export function createProxyRouter(options: ProxyOptions = {}): ProxyRouter {
  const own = <K extends keyof ProxyOptions>(key: K): ProxyOptions[K] =>
    Object.hasOwn(options, key) ? options[key] : undefined;
  const httpInput = own('http');
  const httpsInput = own('https');
  const http = isSet(httpInput) ? parseProxy(httpInput, 'http') : undefined;
  const https = isSet(httpsInput) ? parseProxy(httpsInput, 'https') : undefined;
  const noProxy = parseNoProxy(own('noProxy'));
  return {
    http,
    https,
    noProxy,
    route(target) {
      const proxy = target.scheme === 'https' ? https : http;
      if (proxy === undefined || matchesNoProxy(noProxy, target.host, target.port)) return DIRECT;
      if (proxy.socks !== undefined) return { kind: 'socks', proxy };
      return { kind: target.scheme === 'https' ? 'tunnel' : 'forward', proxy };
    },
  };
}

function isSet(input: ProxyInput | undefined): input is ProxyInput {
  return input !== undefined && input !== '';
}

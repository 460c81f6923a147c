import {
  connectTargetFor,
  type HttpRequest,
  type HttpTransport,
  type Layer,
  withRequestChanges,
} from '@x/core';
import { createProxyRouter, type ProxyOptions } from './proxy-routing.js';

/**
 * The request half of proxy support; use it over a pool whose connector is
 * `proxyConnector` with the same options.
 *
 * - http: requests routed to a proxy get an absolute-form target
 *   (RFC 9112 §3.2.2) and the proxy's Proxy-Authorization.
 * - Every other request loses any Proxy-Authorization field: through a
 *   tunnel (CONNECT or SOCKS5) or directly it would reach the origin
 *   (SECURITY.md 26). A SOCKS5 route is sent as a direct one would be:
 *   origin-form, no proxy field (SOCKS credentials travel in its handshake).
 *
 * Put it below redirect and cache layers, so that each redirect hop is
 * routed afresh and no cache entry ever holds Proxy-Authorization.
 */
export function withProxy(inner: HttpTransport, options: ProxyOptions = {}): HttpTransport {
  const router = createProxyRouter(options);
  return {
    request(request: HttpRequest) {
      const route = router.route(connectTargetFor(request.url));
      const strip = request.headers.has('proxy-authorization');
      if (route.kind !== 'forward') {
        if (!strip) return inner.request(request);
        const headers = request.headers.clone();
        headers.delete('proxy-authorization');
        return inner.request(withRequestChanges(request, { headers }));
      }
      const headers = request.headers.clone();
      headers.delete('proxy-authorization');
      if (route.proxy.authorization !== undefined)
        headers.append('Proxy-Authorization', route.proxy.authorization);
      return inner.request(
        withRequestChanges(request, {
          headers,
          options: { ...request.options, http1: { ...request.options.http1, targetForm: 'absolute' } },
        }),
      );
    },
    close: () => inner.close(),
  };
}

/** `withProxy` as a Layer for `compose`. */
export function proxy(options: ProxyOptions = {}): Layer {
  return (inner) => withProxy(inner, options);
}

export { openTunnel, type TunnelOptions } from './connect-tunnel.js';
export { type ProxyFailureDetails, proxyFailure } from './errors.js';
export { matchesNoProxy, type NoProxyEntry, type NoProxyList, parseNoProxy } from './no-proxy.js';
export { type ProxyConnector, type ProxyConnectorOptions, proxyConnector } from './proxy-connector.js';
export { type ProxyEndpoint, type ProxyInput, type ProxyServer, parseProxy } from './proxy-endpoint.js';
export { type Environment, proxyFromEnvironment } from './proxy-from-environment.js';
export { DEFAULT_SOCKS_PORT, type SocksCredentials, type SocksSettings } from './socks-endpoint.js';
export {
  openSocksTunnel,
  type SocksLookup,
  type SocksTunnelOptions,
  socksDestination,
} from './socks5-connect.js';
export { type SocksAddress, socksReplyMeaning } from './socks5-handshake.js';
export type { ProxyMeta } from './proxy-meta.js';
export { createProxyRouter, type ProxyOptions, type ProxyRoute, type ProxyRouter } from './proxy-routing.js';
export {
  type DefaultTunnelTlsOptions,
  defaultTunnelTls,
  type OriginTlsFactory,
  type StreamFactory,
} from './tunnel-tls.js';
export { proxy, withProxy } from './with-proxy.js';

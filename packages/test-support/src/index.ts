/**
 * Helpers shared by the test folders of @x packages. For tests only: this
 * package is private, has no build, and is never published.
 *
 * The @peculiar/x509 chain builder is `@x/test-support/x509`, a subpath of
 * its own: it installs a reflect-metadata shim on the global Reflect, which
 * tests that need no certificate chain should not load.
 */
export { type Cleanup, cleanupAfterEach } from './cleanup-after-each.js';
export { failure } from './failure.js';
export { type PemKeyPair, type SelfSignedOptions, selfSignedCertificate } from './openssl-certificate.js';
export {
  httpServer,
  okResponse,
  rawServer,
  type TrackedServer,
  until,
} from './tracked-servers.js';
export {
  type ProxyBehaviour,
  type ProxySeen,
  startForwardProxy,
  type TestProxy,
} from './forward-proxy.js';
export {
  type SocksBehaviour,
  type SocksSeen,
  startSocks5Server,
  type TestSocksServer,
} from './socks5-server.js';
export {
  closeServer,
  type OriginHandler,
  type SeenRequest,
  startOrigin,
  type TestOrigin,
} from './recording-origin.js';

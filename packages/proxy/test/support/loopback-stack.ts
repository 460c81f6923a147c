import type { HttpTransport } from '@x/core';
import { createPool } from '@x/pool';
import { type Cleanup, cleanupAfterEach, startOrigin, type TestOrigin } from '@x/test-support';
import { createAuthority, type TestAuthority, type TestCertificate } from '@x/test-support/x509';
import { beforeAll } from 'vitest';
import { defaultTunnelTls, type ProxyConnectorOptions, proxyConnector, withProxy } from '../../src/index.js';

/** What the end-to-end tests share: a test CA, origins that close after each test, the proxy stack. */
export interface LoopbackStack {
  readonly cleanups: Cleanup[];
  /** The test root (set once `beforeAll` has run). */
  authority(): TestAuthority;
  /** An http: or https: origin on 127.0.0.1; https: with a certificate for the stack's origin names. */
  origin(secure: boolean): Promise<TestOrigin>;
  /** withProxy → @x/pool → proxyConnector (origin TLS trusting the test root), closed after the test. */
  client(options: ProxyConnectorOptions): HttpTransport;
}

/** Registers the `beforeAll` that makes the CA and the `afterEach` cleanups: call at module scope. */
export function loopbackStack(rootName: string, originNames: readonly string[]): LoopbackStack {
  let authority: TestAuthority | undefined;
  let originCertificate: TestCertificate | undefined;
  const cleanups = cleanupAfterEach();
  beforeAll(async () => {
    authority = await createAuthority(rootName);
    originCertificate = await authority.issue([...originNames]);
  });
  const ready = () => {
    if (authority === undefined || originCertificate === undefined) throw new Error('beforeAll has not run');
    return { authority, originCertificate };
  };
  return {
    cleanups,
    authority: () => ready().authority,
    async origin(secure) {
      const server = await startOrigin(secure ? { tls: ready().originCertificate } : {});
      cleanups.push(() => server.close());
      return server;
    },
    client(options) {
      const pool = createPool({
        connector: proxyConnector({ tls: defaultTunnelTls({ ca: ready().authority.certPem }), ...options }),
      });
      const transport = withProxy(pool, options);
      cleanups.push(() => transport.close());
      return transport;
    },
  };
}

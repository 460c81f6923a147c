import type { Clock, ConnectOptions, Connector, ConnectTarget } from '@x/core';
import { connectorKeyOf } from '@x/pool';
import { tcpConnector } from '@x/protocol';
import { proxyConnector } from '@x/proxy';
import { type TlsConnector, type TlsConnectorOptions, tlsConnector } from '@x/tls-verify';
import type { ClientProxyOptions } from './proxy-settings.js';

export interface DefaultConnectorOptions {
  /** The tls-verify policy for https: origins, direct or through a tunnel. */
  readonly tls?: TlsConnectorOptions | undefined;
  /** Replaces the direct connector (TCP / tls-verify). */
  readonly connector?: Connector | undefined;
  /** Proxy settings, already resolved (see `resolveProxyOption`). */
  readonly proxy?: ClientProxyOptions | undefined;
  readonly clock?: Clock | undefined;
}

/** The connector the pool uses and the key that keeps its connections apart. */
export interface DefaultConnector {
  readonly connector: Connector;
  /**
   * The pool-key part for a target (SECURITY.md rule 15): the TLS policy for
   * https:, and with a proxy the route, the proxy (credentials hashed) and
   * the tunnel's TLS policy.
   */
  readonly connectorKey: (target: ConnectTarget) => string;
  /** The direct TLS connector, when this made one. */
  readonly tls: TlsConnector | undefined;
}

/**
 * http: over TCP and https: over tls-verify (or the caller's `connector`),
 * and with a proxy, `@x/proxy`'s connector around them: origins the proxy
 * skips (NO_PROXY) use the direct connector, https: origins behind it get TLS
 * through the CONNECT tunnel under the same tls-verify policy, verified for
 * the origin's name.
 */
export function buildDefaultConnector(options: DefaultConnectorOptions): DefaultConnector {
  const own = <K extends keyof DefaultConnectorOptions>(key: K): DefaultConnectorOptions[K] =>
    Object.hasOwn(options, key) ? options[key] : undefined;
  const clock = own('clock');
  const withClock = clock ? { clock } : {};
  // A spread copies own enumerable properties only (SECURITY.md rule 4).
  const policy: TlsConnectorOptions = { ...own('tls'), ...withClock };
  let tls: TlsConnector | undefined;
  let direct: Connector;
  let directKey: (target: ConnectTarget) => string;
  const given = own('connector');
  if (given === undefined) {
    const verified = tlsConnector(policy);
    const plain = tcpConnector();
    tls = verified;
    direct = (target, connectOptions) =>
      target.scheme === 'https' ? verified(target, connectOptions) : plain(target, connectOptions);
    // The scheme switch would hide policyKey from the pool, so the key is
    // given explicitly: connections verified under one TLS policy are never
    // handed to a request made under another (SECURITY.md 15).
    directKey = (target) => (target.scheme === 'https' ? verified.policyKey : '');
  } else {
    direct = given;
    directKey = connectorKeyOf(given);
  }
  const proxy = own('proxy');
  if (proxy === undefined) return { connector: direct, connectorKey: directKey, tls };
  const through = proxyConnector({
    ...proxy,
    // proxyConnector reads poolKey of `direct` into its own key.
    direct: Object.assign(
      (target: ConnectTarget, connectOptions: ConnectOptions) => direct(target, connectOptions),
      { poolKey: directKey },
    ),
    tls: (connect) => tlsConnector({ ...policy, connect }),
    ...withClock,
  });
  return { connector: through, connectorKey: (target) => through.poolKey(target), tls };
}

import type { ConnectOptions, Connector, ConnectTarget } from '@x/core';
import { tcpConnector, tlsConnector } from '@x/protocol';

/**
 * The default connector: plain TCP for http:, Node's TLS (default
 * verification, SNI from the URL) for https:. A deployment that needs a
 * trust policy passes `@x/tls-verify`'s connector instead.
 */
export function defaultConnector(): Connector {
  const plain = tcpConnector();
  const secure = tlsConnector();
  return (target: ConnectTarget, options: ConnectOptions) =>
    target.scheme === 'https' ? secure(target, options) : plain(target, options);
}

/**
 * The connector's own pool key when it declares one: a `poolKey` function or
 * string, or `@x/tls-verify`'s `policyKey` (trust store, pins, client
 * certificate, verification mode).
 */
export function connectorKeyOf(connector: Connector): (target: ConnectTarget) => string {
  const tagged = connector as Connector & { poolKey?: unknown; policyKey?: unknown };
  // Own properties only: an inherited Object.prototype.poolKey must not mask the policy key.
  const declared =
    (Object.hasOwn(tagged, 'poolKey') ? tagged.poolKey : undefined) ??
    (Object.hasOwn(tagged, 'policyKey') ? tagged.policyKey : undefined);
  if (typeof declared === 'function') return (target) => String(declared.call(connector, target));
  if (typeof declared === 'string') return () => declared;
  return () => '';
}

import tls from 'node:tls';
import type { NormalizedPolicy } from './policy.js';
import { invalidPolicy } from './policy.js';

/**
 * One SecureContext per connector, built from the policy: parsing a trust
 * store of ~150 roots per connection would cost more than the handshake.
 * The `ca` list is given to this context only; `tls.setDefaultCACertificates`
 * and other process-wide state are never touched.
 */
export function createPolicySecureContext(policy: NormalizedPolicy): tls.SecureContext {
  const client = policy.clientCertificate;
  try {
    return tls.createSecureContext({
      ca: trustAnchors(policy),
      minVersion: policy.minVersion,
      maxVersion: policy.maxVersion,
      ...(client === undefined
        ? {}
        : client.kind === 'pem'
          ? { cert: toBuffer(client.cert), key: toBuffer(client.key), passphrase: client.passphrase }
          : { pfx: Buffer.from(client.pfx), passphrase: client.passphrase }),
    });
  } catch (cause) {
    throw invalidPolicy(
      client === undefined ? 'trust.ca' : 'clientCertificate',
      `was refused by OpenSSL: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    );
  }
}

/** undefined keeps Node's default store; "extend" lists it explicitly before the custom anchors. */
function trustAnchors(policy: NormalizedPolicy): string[] | undefined {
  if (policy.trustMode === 'default') return undefined;
  if (policy.trustMode === 'replace') return [...policy.ca];
  return [...defaultCertificates(), ...policy.ca];
}

/** Node's default store: bundled roots plus --use-system-ca / NODE_EXTRA_CA_CERTS where Node supports asking. */
function defaultCertificates(): readonly string[] {
  const withGetter = tls as unknown as { getCACertificates?: (type: 'default') => string[] };
  return typeof withGetter.getCACertificates === 'function'
    ? withGetter.getCACertificates('default')
    : tls.rootCertificates;
}

function toBuffer(value: string | Uint8Array): Buffer | string {
  return typeof value === 'string' ? value : Buffer.from(value);
}

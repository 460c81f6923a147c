import { createHash, X509Certificate } from 'node:crypto';
import { HttpClientError } from '@x/core';
import { normalizePin, normalizePinPattern, type PinRule } from './pins.js';

/**
 * The verification policy: everything that decides whether a server is
 * trusted. It is plain data, validated once by `normalizePolicy`, and
 * `policyKey` turns it into a stable string so a pool never hands a
 * connection (or a TLS session) verified under one policy to a request made
 * under another (SECURITY.md rule 15).
 */

/** A certificate as PEM text (a bundle of several is fine) or DER bytes. */
export type CertificateInput = string | Uint8Array;

export interface TrustOptions {
  /**
   * Required, so the choice is never made by accident: "extend" trusts Node's
   * default store plus `ca`; "replace" trusts only `ca`. Process-wide
   * defaults are never touched.
   */
  readonly mode: 'extend' | 'replace';
  readonly ca: CertificateInput | readonly CertificateInput[];
}

/** A client certificate for mutual TLS: PEM certificate (chain) and key, or a PKCS#12 bundle. */
export type ClientCertificate =
  | { readonly cert: string | Uint8Array; readonly key: string | Uint8Array; readonly passphrase?: string }
  | { readonly pfx: Uint8Array; readonly passphrase?: string };

export type TlsVersion = 'TLSv1.2' | 'TLSv1.3';

export interface TlsPolicy {
  /** Default: Node's default store (its bundled roots plus whatever the process was started with). */
  readonly trust?: TrustOptions | undefined;
  readonly clientCertificate?: ClientCertificate | undefined;
  /** SHA-256 SPKI pins per host pattern; see `PinRule`. */
  readonly pins?: readonly PinRule[] | undefined;
  /** Default "TLSv1.2". Nothing older can be asked for. */
  readonly minVersion?: TlsVersion | undefined;
  /** Default "TLSv1.3". */
  readonly maxVersion?: TlsVersion | undefined;
  /**
   * For local development only: skips chain, hostname and pin checks. Only
   * the literal `true` turns it on; responses then carry
   * `meta.tls.verification === "skipped"`.
   */
  readonly insecureSkipVerify?: boolean | undefined;
}

export type NormalizedClientCertificate =
  | {
      readonly kind: 'pem';
      readonly cert: string | Uint8Array;
      readonly key: string | Uint8Array;
      readonly passphrase: string | undefined;
    }
  | { readonly kind: 'pfx'; readonly pfx: Uint8Array; readonly passphrase: string | undefined };

export interface NormalizedPolicy {
  readonly trustMode: 'default' | 'extend' | 'replace';
  /** The custom trust anchors as PEM, one certificate each. */
  readonly ca: readonly string[];
  /** SHA-256 fingerprints of `ca`, sorted: the order of a bundle does not change trust. */
  readonly caFingerprints: readonly string[];
  readonly clientCertificate: NormalizedClientCertificate | undefined;
  readonly pins: readonly PinRule[];
  readonly minVersion: TlsVersion;
  readonly maxVersion: TlsVersion;
  readonly insecureSkipVerify: boolean;
}

const VERSIONS: readonly TlsVersion[] = ['TLSv1.2', 'TLSv1.3'];
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/** Validates a policy (own properties only) and fills in defaults; INVALID_REQUEST on bad input. */
export function normalizePolicy(policy: TlsPolicy = {}): NormalizedPolicy {
  if (typeof policy !== 'object' || policy === null) throw invalidPolicy('policy', 'must be an object');
  const insecure = own(policy, 'insecureSkipVerify');
  if (insecure !== undefined && typeof insecure !== 'boolean') {
    throw invalidPolicy('insecureSkipVerify', 'must be the boolean true to turn verification off');
  }
  const minVersion = version(own(policy, 'minVersion'), 'minVersion', 'TLSv1.2');
  const maxVersion = version(own(policy, 'maxVersion'), 'maxVersion', 'TLSv1.3');
  if (VERSIONS.indexOf(minVersion) > VERSIONS.indexOf(maxVersion)) {
    throw invalidPolicy('maxVersion', `${maxVersion} is below minVersion ${minVersion}`);
  }
  const trust = normalizeTrust(own(policy, 'trust'));
  const pins = normalizePins(own(policy, 'pins'));
  if (insecure === true && pins.length > 0) {
    throw invalidPolicy(
      'insecureSkipVerify',
      'cannot be combined with pins: a pin must never be skipped silently',
    );
  }
  return {
    ...trust,
    clientCertificate: normalizeClientCertificate(own(policy, 'clientCertificate')),
    pins,
    minVersion,
    maxVersion,
    insecureSkipVerify: insecure === true,
  };
}

/**
 * A stable string naming everything security-relevant in the policy: equal
 * for equal policies (whatever the property or bundle order), different
 * whenever trust, client certificate, pins, versions or verification mode
 * differ. Key material is hashed, never included.
 */
export function policyKey(policy: TlsPolicy | NormalizedPolicy = {}): string {
  const normalized = 'trustMode' in policy ? policy : normalizePolicy(policy);
  const client = normalized.clientCertificate;
  const canonical = JSON.stringify([
    1,
    normalized.trustMode,
    normalized.caFingerprints,
    client === undefined ? null : clientCertificateDigest(client),
    [...normalized.pins]
      .map((rule) => [rule.host, [...rule.pins].sort()] as const)
      .sort((left, right) => (left[0] < right[0] ? -1 : left[0] > right[0] ? 1 : 0)),
    normalized.minVersion,
    normalized.maxVersion,
    normalized.insecureSkipVerify,
  ]);
  return `tls-policy-v1:${createHash('sha256').update(canonical).digest('hex').slice(0, 40)}`;
}

function clientCertificateDigest(client: NormalizedClientCertificate): string {
  const hash = createHash('sha256');
  if (client.kind === 'pem') hash.update('pem').update(client.cert).update('\0').update(client.key);
  else hash.update('pfx').update(client.pfx);
  hash.update('\0').update(client.passphrase ?? '');
  return hash.digest('hex');
}

function normalizeTrust(value: unknown): Pick<NormalizedPolicy, 'trustMode' | 'ca' | 'caFingerprints'> {
  if (value === undefined) return { trustMode: 'default', ca: [], caFingerprints: [] };
  if (typeof value !== 'object' || value === null) throw invalidPolicy('trust', 'must be { mode, ca }');
  const mode = own(value, 'mode');
  if (mode !== 'extend' && mode !== 'replace') {
    throw invalidPolicy('trust.mode', 'must be "extend" (default store plus ca) or "replace" (only ca)');
  }
  const input = own(value, 'ca');
  const inputs: unknown[] = Array.isArray(input) ? input : [input];
  const certificates: X509Certificate[] = [];
  for (const item of inputs) {
    if (typeof item === 'string') {
      const blocks = item.match(PEM_CERTIFICATE) ?? [];
      if (blocks.length === 0) throw invalidPolicy('trust.ca', 'a string holds no PEM CERTIFICATE block');
      for (const block of blocks) certificates.push(parseCertificate(block, 'trust.ca'));
    } else if (item instanceof Uint8Array) {
      certificates.push(parseCertificate(item, 'trust.ca'));
    } else {
      throw invalidPolicy('trust.ca', 'must be PEM text, DER bytes, or an array of them');
    }
  }
  if (certificates.length === 0) throw invalidPolicy('trust.ca', 'is empty: nothing would be trusted');
  return {
    trustMode: mode,
    ca: certificates.map((certificate) => certificate.toString()),
    caFingerprints: certificates.map((certificate) => certificate.fingerprint256).sort(),
  };
}

function normalizeClientCertificate(value: unknown): NormalizedClientCertificate | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) {
    throw invalidPolicy('clientCertificate', 'must be { cert, key } or { pfx }');
  }
  const passphrase = own(value, 'passphrase');
  if (passphrase !== undefined && typeof passphrase !== 'string') {
    throw invalidPolicy('clientCertificate.passphrase', 'must be a string');
  }
  const pfx = own(value, 'pfx');
  if (pfx !== undefined) {
    if (!(pfx instanceof Uint8Array)) throw invalidPolicy('clientCertificate.pfx', 'must be PKCS#12 bytes');
    return { kind: 'pfx', pfx, passphrase };
  }
  const cert = own(value, 'cert');
  const key = own(value, 'key');
  if (!isPemOrBytes(cert) || !isPemOrBytes(key)) {
    throw invalidPolicy('clientCertificate', 'needs both cert and key (PEM text or bytes), or pfx');
  }
  return { kind: 'pem', cert, key, passphrase };
}

function normalizePins(value: unknown): PinRule[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidPolicy('pins', 'must be an array of { host, pins }');
  return value.map((rule: unknown, index) => {
    const where = `pins[${index}]`;
    if (typeof rule !== 'object' || rule === null) throw invalidPolicy(where, 'must be { host, pins }');
    const host = own(rule, 'host');
    const pattern = typeof host === 'string' ? normalizePinPattern(host) : undefined;
    if (pattern === undefined) {
      throw invalidPolicy(`${where}.host`, 'must be "example.com", "*.example.com" or "**.example.com"');
    }
    const list = own(rule, 'pins');
    if (!Array.isArray(list) || list.length === 0) {
      throw invalidPolicy(`${where}.pins`, 'must be a non-empty array; include a backup pin');
    }
    const pins = list.map((pin: unknown) => {
      const normalized = typeof pin === 'string' ? normalizePin(pin) : undefined;
      if (normalized === undefined) {
        throw invalidPolicy(`${where}.pins`, `${JSON.stringify(pin)} is not "sha256/" + base64 of 32 bytes`);
      }
      return normalized;
    });
    return { host: pattern, pins };
  });
}

function version(value: unknown, option: string, fallback: TlsVersion): TlsVersion {
  if (value === undefined) return fallback;
  if (value === 'TLSv1.2' || value === 'TLSv1.3') return value;
  throw invalidPolicy(option, 'must be "TLSv1.2" or "TLSv1.3" (older versions are not offered)');
}

function parseCertificate(input: string | Uint8Array, option: string): X509Certificate {
  try {
    return new X509Certificate(input);
  } catch (cause) {
    throw invalidPolicy(option, 'holds something that is not a certificate', cause);
  }
}

function isPemOrBytes(value: unknown): value is string | Uint8Array {
  return typeof value === 'string' || value instanceof Uint8Array;
}

/** Own properties only: a polluted Object.prototype changes nothing (SECURITY.md rule 4). */
function own(object: object, key: string): unknown {
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

export function invalidPolicy(option: string, message: string, cause?: unknown): HttpClientError {
  return new HttpClientError('INVALID_REQUEST', `Invalid TLS policy: ${option} ${message}`, {
    requestSent: false,
    cause,
    details: { option },
  });
}

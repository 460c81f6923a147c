import { HttpClientError } from '@x/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizePolicy, policyKey, type TlsPolicy } from '../src/policy.js';
import { createLeaf, createTestPki, type Issued, type TestPki } from './certs.js';

let pki: TestPki;
let client: Issued;
const pinA = `sha256/${Buffer.alloc(32, 1).toString('base64')}`;
const pinB = `sha256/${Buffer.alloc(32, 2).toString('base64')}`;

beforeAll(async () => {
  pki = await createTestPki();
  client = await createLeaf(pki.root, { clientAuth: true });
});

function invalidOption(policy: unknown): unknown {
  try {
    normalizePolicy(policy as TlsPolicy);
  } catch (error) {
    expect(HttpClientError.is(error, 'INVALID_REQUEST')).toBe(true);
    expect((error as HttpClientError).requestSent).toBe(false);
    return (error as HttpClientError).details.option;
  }
  throw new Error('expected the policy to be refused');
}

describe('normalizePolicy', () => {
  it('defaults to the default store, TLS 1.2 to 1.3, verification on', () => {
    expect(normalizePolicy()).toEqual({
      trustMode: 'default',
      ca: [],
      caFingerprints: [],
      clientCertificate: undefined,
      pins: [],
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      insecureSkipVerify: false,
    });
  });

  it('requires the trust mode to be said explicitly', () => {
    expect(invalidOption({ trust: { ca: 'x' } })).toBe('trust.mode');
    expect(invalidOption({ trust: { mode: 'add', ca: 'x' } })).toBe('trust.mode');
    expect(invalidOption({ trust: 'ca.pem' })).toBe('trust');
  });

  it('refuses CA input that holds no certificate, and an empty list', () => {
    expect(invalidOption({ trust: { mode: 'replace', ca: 'not a pem' } })).toBe('trust.ca');
    expect(invalidOption({ trust: { mode: 'replace', ca: [] } })).toBe('trust.ca');
    expect(invalidOption({ trust: { mode: 'replace', ca: new Uint8Array([1, 2, 3]) } })).toBe('trust.ca');
    expect(
      invalidOption({
        trust: { mode: 'replace', ca: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' },
      }),
    ).toBe('trust.ca');
    expect(invalidOption({ trust: { mode: 'replace', ca: 42 } })).toBe('trust.ca');
  });

  it('reads every certificate of a PEM bundle and DER bytes', () => {
    const policy = normalizePolicy({
      trust: { mode: 'extend', ca: [`${pki.root.certPem}\n${pki.intermediate.certPem}`, pki.otherRoot.der] },
    });
    expect(policy.trustMode).toBe('extend');
    expect(policy.ca).toHaveLength(3);
    expect(policy.caFingerprints).toEqual(
      [pki.root.fingerprint256, pki.intermediate.fingerprint256, pki.otherRoot.fingerprint256].sort(),
    );
  });

  it('validates versions', () => {
    expect(invalidOption({ minVersion: 'TLSv1.1' })).toBe('minVersion');
    expect(invalidOption({ maxVersion: 'TLSv1' })).toBe('maxVersion');
    expect(invalidOption({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.2' })).toBe('maxVersion');
  });

  it('validates pins and their host patterns', () => {
    expect(invalidOption({ pins: { 'example.com': [pinA] } })).toBe('pins');
    expect(invalidOption({ pins: [{ host: 'ex*.com', pins: [pinA] }] })).toBe('pins[0].host');
    expect(invalidOption({ pins: [{ host: 'example.com', pins: [] }] })).toBe('pins[0].pins');
    expect(invalidOption({ pins: [{ host: 'example.com', pins: ['sha1/abc'] }] })).toBe('pins[0].pins');
    expect(normalizePolicy({ pins: [{ host: '*.Example.com', pins: [pinA, pinB] }] }).pins).toEqual([
      { host: '*.example.com', pins: [pinA, pinB] },
    ]);
  });

  it('turns verification off only for the boolean true, and never together with pins', () => {
    expect(normalizePolicy({ insecureSkipVerify: true }).insecureSkipVerify).toBe(true);
    expect(normalizePolicy({ insecureSkipVerify: false }).insecureSkipVerify).toBe(false);
    expect(invalidOption({ insecureSkipVerify: 1 })).toBe('insecureSkipVerify');
    expect(invalidOption({ insecureSkipVerify: 'yes' })).toBe('insecureSkipVerify');
    expect(invalidOption({ insecureSkipVerify: true, pins: [{ host: 'a.example', pins: [pinA] }] })).toBe(
      'insecureSkipVerify',
    );
  });

  it('reads own properties only: a polluted prototype cannot switch verification off', () => {
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.insecureSkipVerify = true;
    prototype.trust = { mode: 'replace', ca: pki?.otherRoot.certPem };
    try {
      const policy = normalizePolicy({});
      expect(policy.insecureSkipVerify).toBe(false);
      expect(policy.trustMode).toBe('default');
    } finally {
      delete prototype.insecureSkipVerify;
      delete prototype.trust;
    }
  });

  it('validates client certificate shapes', () => {
    expect(invalidOption({ clientCertificate: { cert: client.certPem } })).toBe('clientCertificate');
    expect(invalidOption({ clientCertificate: { pfx: 'base64?' } })).toBe('clientCertificate.pfx');
    expect(invalidOption({ clientCertificate: { pfx: new Uint8Array(1), passphrase: 7 } })).toBe(
      'clientCertificate.passphrase',
    );
    expect(
      normalizePolicy({ clientCertificate: { cert: client.certPem, key: client.keyPem } }).clientCertificate,
    ).toMatchObject({ kind: 'pem' });
  });
});

describe('policyKey', () => {
  it('is stable for equal policies whatever the order of bundles, pins and properties', () => {
    const one = policyKey({
      trust: { mode: 'replace', ca: [pki.root.certPem, pki.otherRoot.certPem] },
      pins: [
        { host: 'a.example', pins: [pinA, pinB] },
        { host: 'b.example', pins: [pinA] },
      ],
    });
    const two = policyKey({
      pins: [
        { host: 'b.example', pins: [pinA] },
        { host: 'A.example.', pins: [pinB, pinA] },
      ],
      trust: { ca: `${pki.otherRoot.certPem}${pki.root.certPem}`, mode: 'replace' },
    });
    expect(one).toBe(two);
    expect(one).toMatch(/^tls-policy-v1:[0-9a-f]{40}$/);
    expect(policyKey()).toBe(
      policyKey({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', insecureSkipVerify: false }),
    );
  });

  it('differs whenever anything security-relevant differs', () => {
    const variants: TlsPolicy[] = [
      {},
      { trust: { mode: 'extend', ca: pki.root.certPem } },
      { trust: { mode: 'replace', ca: pki.root.certPem } },
      { trust: { mode: 'replace', ca: pki.otherRoot.certPem } },
      { clientCertificate: { cert: client.certPem, key: client.keyPem } },
      { clientCertificate: { cert: client.certPem, key: client.keyPem, passphrase: 'x' } },
      { pins: [{ host: 'a.example', pins: [pinA] }] },
      { pins: [{ host: 'a.example', pins: [pinB] }] },
      { pins: [{ host: '*.a.example', pins: [pinA] }] },
      { minVersion: 'TLSv1.3' },
      { maxVersion: 'TLSv1.2' },
      { insecureSkipVerify: true },
    ];
    const keys = new Set(variants.map((policy) => policyKey(policy)));
    expect(keys.size).toBe(variants.length);
  });

  it('never contains key material', () => {
    const key = policyKey({
      clientCertificate: { cert: client.certPem, key: client.keyPem, passphrase: 'hunter2' },
    });
    expect(key).not.toContain('hunter2');
    expect(key.length).toBeLessThan(60);
  });
});

import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCertificateFields } from '../src/certificate-fields.js';
import { summarizeCertificate } from '../src/certificate-summary.js';
import { DerError } from '../src/der.js';
import { formatIpAddress } from '../src/ip-address.js';
import { createLeaf, createTestPki, type Issued, type TestPki } from './certs.js';

let pki: TestPki;
let leaf: Issued;

beforeAll(async () => {
  pki = await createTestPki();
  leaf = await createLeaf(pki.intermediate, {
    commonName: 'fields',
    dns: ['a.example', '*.b.example'],
    ip: ['192.0.2.7', '2001:db8::1'],
  });
});

describe('readCertificateFields', () => {
  it('reads DNS and IP subjectAltNames in order', () => {
    const fields = readCertificateFields(leaf.der);
    expect(fields.hasSubjectAltName).toBe(true);
    expect(fields.dnsNames).toEqual(['a.example', '*.b.example']);
    expect(fields.ipAddresses.map(formatIpAddress)).toEqual(['192.0.2.7', '2001:db8:0:0:0:0:0:1']);
  });

  it('returns the SubjectPublicKeyInfo exactly as Node exports it', () => {
    const fields = readCertificateFields(leaf.der);
    const exported = new X509Certificate(leaf.der).publicKey.export({ type: 'spki', format: 'der' });
    expect(Buffer.from(fields.subjectPublicKeyInfo).equals(exported)).toBe(true);
  });

  it('reports a certificate without the extension', async () => {
    const bare = await createLeaf(pki.intermediate, { commonName: 'example.com', noSubjectAltName: true });
    const fields = readCertificateFields(bare.der);
    expect(fields).toMatchObject({ hasSubjectAltName: false, dnsNames: [], ipAddresses: [] });
    const root = readCertificateFields(pki.root.der);
    expect(root.hasSubjectAltName).toBe(false);
  });

  it('throws DerError on truncated or malformed input, never reading past the end', () => {
    expect(() => readCertificateFields(leaf.der.subarray(0, leaf.der.length - 1))).toThrow(DerError);
    expect(() => readCertificateFields(leaf.der.subarray(0, 40))).toThrow(DerError);
    expect(() => readCertificateFields(new Uint8Array([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]))).toThrow(
      DerError,
    );
    expect(() => readCertificateFields(new Uint8Array([0x30, 0x80, 0x00, 0x00]))).toThrow(DerError);
    expect(() => readCertificateFields(new Uint8Array())).toThrow(DerError);
  });
});

describe('summarizeCertificate', () => {
  it('gives subject, issuer, fingerprint, pin, validity and names', () => {
    const summary = summarizeCertificate(leaf.der);
    expect(summary).toMatchObject({
      subject: 'CN=fields',
      issuer: 'CN=x-http Test Intermediate',
      fingerprint256: leaf.fingerprint256,
      spkiPin: leaf.pin,
      subjectAltNames: 'DNS:a.example, DNS:*.b.example, IP:192.0.2.7, IP:2001:db8:0:0:0:0:0:1',
    });
    expect(Date.parse(summary.validTo)).toBeGreaterThan(Date.parse(summary.validFrom));
  });
});

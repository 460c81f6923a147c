import './reflect-metadata-shim.js';
import { webcrypto, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

/**
 * Test certificate chains, generated at test time with @peculiar/x509 on
 * Node's WebCrypto (ECDSA P-256: fast). Nothing here is committed key
 * material.
 */

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 60 * 60 * 1000;

export interface Issued {
  readonly certPem: string;
  readonly keyPem: string;
  readonly der: Uint8Array;
  readonly fingerprint256: string;
  readonly subject: string;
}

export interface Authority extends Issued {
  readonly keys: CryptoKeyPair;
  readonly name: string;
}

export interface LeafOptions {
  readonly commonName?: string;
  readonly dns?: readonly string[];
  readonly ip?: readonly string[];
  /** Leave the subjectAltName extension out entirely. */
  readonly noSubjectAltName?: boolean;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly clientAuth?: boolean;
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function finish(certificate: x509.X509Certificate, keys: CryptoKeyPair): Promise<Issued> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const der = new Uint8Array(certificate.rawData);
  const node = new X509Certificate(der);
  return {
    certPem: certificate.toString('pem'),
    keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    der,
    fingerprint256: node.fingerprint256,
    subject: node.subject,
  };
}

/** A self-signed CA, valid from a day ago for 30 days. */
export async function createRoot(commonName: string): Promise<Authority> {
  const keys = await newKeys();
  const name = `CN=${commonName}`;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name,
    keys,
    signingAlgorithm: ALGORITHM,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 30 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { ...(await finish(certificate, keys)), keys, name };
}

/** A CA signed by `issuer` that may sign leaves only (path length 0). */
export async function createIntermediate(issuer: Authority, commonName: string): Promise<Authority> {
  const keys = await newKeys();
  const name = `CN=${commonName}`;
  const certificate = await x509.X509CertificateGenerator.create({
    subject: name,
    issuer: issuer.name,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: ALGORITHM,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 30 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
    ],
  });
  return { ...(await finish(certificate, keys)), keys, name };
}

/** A server (or, with `clientAuth`, client) certificate signed by `issuer`; valid 7 days by default. */
export async function createLeaf(issuer: Authority, options: LeafOptions = {}): Promise<Issued> {
  const keys = await newKeys();
  const names: x509.JsonGeneralName[] = [
    ...(options.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ip ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([
      options.clientAuth === true ? '1.3.6.1.5.5.7.3.2' : '1.3.6.1.5.5.7.3.1',
    ]),
    await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
  ];
  if (options.noSubjectAltName !== true) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const certificate = await x509.X509CertificateGenerator.create({
    subject: `CN=${options.commonName ?? 'leaf'}`,
    issuer: issuer.name,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: ALGORITHM,
    notBefore: options.notBefore ?? new Date(Date.now() - DAY),
    notAfter: options.notAfter ?? new Date(Date.now() + 7 * DAY),
    extensions,
  });
  return finish(certificate, keys);
}

/** A root, an intermediate under it, and an unrelated root: the usual test PKI. */
export interface TestPki {
  readonly root: Authority;
  readonly intermediate: Authority;
  readonly otherRoot: Authority;
}

export async function createTestPki(): Promise<TestPki> {
  const root = await createRoot('x-http Test Root');
  const intermediate = await createIntermediate(root, 'x-http Test Intermediate');
  const otherRoot = await createRoot('x-http Other Root');
  return { root, intermediate, otherRoot };
}

/** The date `count` days from now (negative for the past). */
export const days = (count: number): Date => new Date(Date.now() + count * DAY);

/** A certificate and its key in PEM. */
export interface TestCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

/** A root that issues server certificates directly: enough for one trusted origin or proxy. */
export interface TestAuthority {
  readonly certPem: string;
  /** A server certificate for these names (IP literals go in as IP SANs); CN is the first name. */
  issue(names: readonly string[]): Promise<TestCertificate>;
}

export async function createAuthority(commonName: string): Promise<TestAuthority> {
  const root = await createRoot(commonName);
  return {
    certPem: root.certPem,
    issue: (names) =>
      createLeaf(root, {
        commonName: names[0] ?? 'leaf',
        dns: names.filter((name) => isIP(name) === 0),
        ip: names.filter((name) => isIP(name) !== 0),
      }),
  };
}

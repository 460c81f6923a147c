import * as support from '@x/test-support/x509';
import { readCertificateFields } from '../src/certificate-fields.js';
import { spkiPin } from '../src/pins.js';

/**
 * The shared test PKI of @x/test-support/x509, with each certificate's SPKI
 * pin as this package computes it (pins are tls-verify's own concept).
 */

export { days, type LeafOptions } from '@x/test-support/x509';

export interface Issued extends support.Issued {
  readonly pin: string;
}

export interface Authority extends support.Authority {
  readonly pin: string;
}

function withPin<T extends support.Issued>(issued: T): T & { readonly pin: string } {
  return { ...issued, pin: spkiPin(readCertificateFields(issued.der).subjectPublicKeyInfo) };
}

export async function createRoot(commonName: string): Promise<Authority> {
  return withPin(await support.createRoot(commonName));
}

export async function createIntermediate(issuer: Authority, commonName: string): Promise<Authority> {
  return withPin(await support.createIntermediate(issuer, commonName));
}

export async function createLeaf(issuer: Authority, options: support.LeafOptions = {}): Promise<Issued> {
  return withPin(await support.createLeaf(issuer, options));
}

/** A root, an intermediate under it, and an unrelated root: the usual test PKI. */
export interface TestPki {
  readonly root: Authority;
  readonly intermediate: Authority;
  readonly otherRoot: Authority;
}

export async function createTestPki(): Promise<TestPki> {
  const pki = await support.createTestPki();
  return {
    root: withPin(pki.root),
    intermediate: withPin(pki.intermediate),
    otherRoot: withPin(pki.otherRoot),
  };
}

import './reflect-metadata-shim.js';
import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

/** A throwaway root and leaf certificates made at test time (ECDSA P-256); no key material is committed. */

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 60 * 60 * 1000;

export interface TestCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface TestAuthority {
  readonly certPem: string;
  issue(dnsNames: readonly string[]): Promise<TestCertificate>;
}

async function keyPem(keys: CryptoKeyPair): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
}

export async function createAuthority(commonName: string): Promise<TestAuthority> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const name = `CN=${commonName}`;
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    name,
    keys,
    signingAlgorithm: ALGORITHM,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 30 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certPem: root.toString('pem'),
    async issue(dnsNames) {
      const leafKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, [
        'sign',
        'verify',
      ])) as CryptoKeyPair;
      const leaf = await x509.X509CertificateGenerator.create({
        subject: `CN=${dnsNames[0] ?? 'leaf'}`,
        issuer: name,
        publicKey: leafKeys.publicKey,
        signingKey: keys.privateKey,
        signingAlgorithm: ALGORITHM,
        notBefore: new Date(Date.now() - DAY),
        notAfter: new Date(Date.now() + 7 * DAY),
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.1']),
          await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
          new x509.SubjectAlternativeNameExtension(
            dnsNames.map((value) => ({
              type: isIP(value) === 0 ? ('dns' as const) : ('ip' as const),
              value,
            })),
          ),
        ],
      });
      return { certPem: leaf.toString('pem'), keyPem: await keyPem(leafKeys) };
    },
  };
}

import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PEM material for the suite's HTTPS servers, generated fresh at every start. */
export interface SuiteCertificates {
  /** The CA a transport must trust to reach the trusted HTTPS server. */
  readonly ca: string;
  /** Leaf for 127.0.0.1, ::1 and localhost, signed by `ca`. */
  readonly cert: string;
  readonly key: string;
  /** Self-signed leaf for the same names that nobody trusts (unknown issuer). */
  readonly untrustedCert: string;
  readonly untrustedKey: string;
  /** Leaf signed by `ca` for another name only (hostname mismatch on 127.0.0.1). */
  readonly wrongHostCert: string;
  readonly wrongHostKey: string;
  /** Leaf signed by `ca` for the loopback names with another key (a pin mismatch, nothing else wrong). */
  readonly otherKeyCert: string;
  readonly otherKeyKey: string;
  /** "sha256/<base64>" of the SubjectPublicKeyInfo of `cert` (RFC 7469 §2.4 pin format). */
  readonly pin: string;
}

const LOOPBACK_NAMES = 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1';
const LEAF_EXTENSIONS =
  'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n';

/**
 * Generates a throwaway CA and three leaves with the openssl CLI in a temp
 * directory that is removed afterwards. The openssl CLI rather than
 * @peculiar/x509: that library needs a `reflect-metadata` global polyfill,
 * which is not installed and would be global state. ECDSA P-256 because key
 * generation takes milliseconds (RSA costs seconds on a busy 2-core box).
 */
export async function generateCertificates(): Promise<SuiteCertificates> {
  const directory = await mkdtemp(join(tmpdir(), 'x-conformance-'));
  const file = (name: string) => join(directory, name);
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  try {
    await openssl([
      'req',
      '-x509',
      ...ecKey,
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.pem'),
      '-days',
      '7',
      '-subj',
      '/CN=@x conformance test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await signedLeaf(file, ecKey, 'leaf', '/CN=localhost', LOOPBACK_NAMES);
    await signedLeaf(file, ecKey, 'wrong', '/CN=wrong-host.example', 'subjectAltName=DNS:wrong-host.example');
    await signedLeaf(file, ecKey, 'other', '/CN=localhost', LOOPBACK_NAMES);
    await openssl([
      'req',
      '-x509',
      ...ecKey,
      '-keyout',
      file('untrusted.key'),
      '-out',
      file('untrusted.pem'),
      '-days',
      '7',
      '-subj',
      '/CN=localhost',
      '-addext',
      LOOPBACK_NAMES,
    ]);
    const read = (name: string) => readFile(file(name), 'utf8');
    const cert = await read('leaf.pem');
    return {
      ca: await read('ca.pem'),
      cert,
      key: await read('leaf.key'),
      untrustedCert: await read('untrusted.pem'),
      untrustedKey: await read('untrusted.key'),
      wrongHostCert: await read('wrong.pem'),
      wrongHostKey: await read('wrong.key'),
      otherKeyCert: await read('other.pem'),
      otherKeyKey: await read('other.key'),
      pin: spkiPin(cert),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function spkiPin(certificatePem: string): string {
  const spki = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256/${createHash('sha256').update(spki).digest('base64')}`;
}

async function signedLeaf(
  file: (name: string) => string,
  ecKey: string[],
  name: string,
  subject: string,
  altNames: string,
): Promise<void> {
  await writeFile(file(`${name}.ext`), `${LEAF_EXTENSIONS}${altNames}\n`);
  await openssl([
    'req',
    ...ecKey,
    '-keyout',
    file(`${name}.key`),
    '-out',
    file(`${name}.csr`),
    '-subj',
    subject,
  ]);
  await openssl([
    'x509',
    '-req',
    '-in',
    file(`${name}.csr`),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-set_serial',
    `0x${Date.now().toString(16)}${name.length}`,
    '-days',
    '7',
    '-extfile',
    file(`${name}.ext`),
    '-out',
    file(`${name}.pem`),
  ]);
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { timeout: 10_000 });
  } catch (cause) {
    throw new Error(`openssl ${args[0]} failed; the HTTPS cases need the openssl CLI on PATH`, { cause });
  }
}

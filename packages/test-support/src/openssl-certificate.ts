import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A key and certificate in PEM, as `node:tls` and `node:https` servers take them. */
export interface PemKeyPair {
  readonly key: string;
  readonly cert: string;
}

export interface SelfSignedOptions {
  /** Subject CN, e.g. `localhost` or `127.0.0.1`. */
  readonly commonName: string;
  /** The subjectAltName extension in openssl syntax, e.g. `DNS:localhost,IP:127.0.0.1`. */
  readonly subjectAltName: string;
}

/**
 * A self-signed ECDSA P-256 certificate valid for two days, made with the
 * openssl CLI (so tests also meet a certificate our own x509 code did not
 * write). The files live in a temporary folder removed before returning:
 * nothing to clean up, no committed key material.
 */
export function selfSignedCertificate(options: SelfSignedOptions): PemKeyPair {
  const directory = mkdtempSync(join(tmpdir(), 'x-test-cert-'));
  try {
    const keyPath = join(directory, 'key.pem');
    const certPath = join(directory, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=${options.commonName}`,
        '-addext',
        `subjectAltName=${options.subjectAltName}`,
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

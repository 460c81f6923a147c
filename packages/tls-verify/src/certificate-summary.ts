import { X509Certificate } from 'node:crypto';
import { readCertificateFields } from './certificate-fields.js';
import { describePresented } from './hostname-match.js';
import { spkiPin } from './pins.js';

/** What errors and response metadata say about one certificate of a chain. */
export interface CertificateSummary {
  /** Subject DN, one line ("CN=leaf, O=Example"). */
  readonly subject: string;
  readonly issuer: string;
  /** SHA-256 of the DER certificate, colon-separated hex (as `openssl x509 -fingerprint -sha256`). */
  readonly fingerprint256: string;
  /** The certificate's SPKI pin, "sha256/<base64>", ready to paste into `pins`. */
  readonly spkiPin: string;
  readonly serialNumber: string;
  /** ISO 8601 validity bounds. */
  readonly validFrom: string;
  readonly validTo: string;
  /** "DNS:a.example, IP:127.0.0.1", "none", or why the extension could not be read. */
  readonly subjectAltNames: string;
}

export function summarizeCertificate(der: Uint8Array): CertificateSummary {
  const certificate = new X509Certificate(der);
  let subjectAltNames: string;
  let pin: string;
  try {
    const fields = readCertificateFields(der);
    subjectAltNames = describePresented(fields);
    pin = spkiPin(fields.subjectPublicKeyInfo);
  } catch {
    subjectAltNames = 'unreadable';
    pin = 'unreadable';
  }
  return {
    subject: oneLine(certificate.subject),
    issuer: oneLine(certificate.issuer),
    fingerprint256: certificate.fingerprint256,
    spkiPin: pin,
    serialNumber: certificate.serialNumber,
    validFrom: certificate.validFromDate.toISOString(),
    validTo: certificate.validToDate.toISOString(),
    subjectAltNames,
  };
}

function oneLine(distinguishedName: string): string {
  return distinguishedName.split('\n').join(', ');
}

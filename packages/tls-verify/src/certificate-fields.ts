import { DerError, expectTag, readChildren, readElement } from './der.js';

/**
 * The parts of an X.509 certificate (RFC 5280 §4.1) that verification needs
 * and that Node does not hand over in a parse-free form: the subjectAltName
 * entries as typed values (Node only offers a display string) and the exact
 * DER bytes of the SubjectPublicKeyInfo, which is what an SPKI pin hashes.
 */
export interface CertificateFields {
  /** dNSName entries, as presented (IA5String, so ASCII; anything else is dropped). */
  readonly dnsNames: readonly string[];
  /** iPAddress entries: 4 bytes (IPv4) or 16 bytes (IPv6). */
  readonly ipAddresses: readonly Uint8Array[];
  /** True when the certificate has a subjectAltName extension at all. */
  readonly hasSubjectAltName: boolean;
  /** The DER SubjectPublicKeyInfo, exactly as in the certificate. */
  readonly subjectPublicKeyInfo: Uint8Array;
}

const SEQUENCE = 0x30;
const OCTET_STRING = 0x04;
const OBJECT_IDENTIFIER = 0x06;
const BOOLEAN = 0x01;
const EXPLICIT_VERSION = 0xa0;
const EXPLICIT_EXTENSIONS = 0xa3;
// GeneralName choices (RFC 5280 §4.2.1.6), context-specific and implicit.
const DNS_NAME = 0x82;
const IP_ADDRESS = 0x87;
// id-ce-subjectAltName, 2.5.29.17.
const SUBJECT_ALT_NAME_OID = [0x55, 0x1d, 0x11];

/** Reads the fields from a DER certificate; throws DerError when it is malformed. */
export function readCertificateFields(der: Uint8Array): CertificateFields {
  const certificate = expectTag(readElement(der, 0), SEQUENCE, 'Certificate');
  const tbs = expectTag(readChildren(der, certificate)[0], SEQUENCE, 'TBSCertificate');
  const fields = readChildren(der, tbs);
  // version [0] is optional (absent means v1); the positions after it are fixed.
  const base = fields[0]?.tag === EXPLICIT_VERSION ? 1 : 0;
  const spki = expectTag(fields[base + 5], SEQUENCE, 'SubjectPublicKeyInfo');
  const subjectPublicKeyInfo = der.subarray(spki.headerStart, spki.end);

  const dnsNames: string[] = [];
  const ipAddresses: Uint8Array[] = [];
  let hasSubjectAltName = false;
  const extensionsWrapper = fields.slice(base + 6).find((field) => field.tag === EXPLICIT_EXTENSIONS);
  if (extensionsWrapper !== undefined) {
    const extensions = expectTag(readChildren(der, extensionsWrapper)[0], SEQUENCE, 'Extensions');
    for (const extension of readChildren(der, extensions)) {
      const parts = readChildren(der, expectTag(extension, SEQUENCE, 'Extension'));
      const oid = expectTag(parts[0], OBJECT_IDENTIFIER, 'extnID');
      if (!bytesEqual(der.subarray(oid.start, oid.end), SUBJECT_ALT_NAME_OID)) continue;
      // RFC 5280 §4.2: a certificate must not include more than one instance of an extension.
      if (hasSubjectAltName) throw new DerError('duplicate subjectAltName extension');
      hasSubjectAltName = true;
      const valueIndex = parts[1]?.tag === BOOLEAN ? 2 : 1;
      const value = expectTag(parts[valueIndex], OCTET_STRING, 'extnValue');
      const names = expectTag(readElement(der, value.start, value.end), SEQUENCE, 'GeneralNames');
      for (const name of readChildren(der, names)) {
        const content = der.subarray(name.start, name.end);
        if (name.tag === DNS_NAME) {
          // IA5String is 7-bit; a name with other bytes can never be a valid reference match.
          if (content.every((byte) => byte >= 0x21 && byte < 0x7f)) {
            dnsNames.push(String.fromCharCode(...content));
          }
        } else if (name.tag === IP_ADDRESS && (content.length === 4 || content.length === 16)) {
          ipAddresses.push(Uint8Array.from(content));
        }
      }
    }
  }
  return { dnsNames, ipAddresses, hasSubjectAltName, subjectPublicKeyInfo };
}

function bytesEqual(left: Uint8Array, right: readonly number[]): boolean {
  return left.length === right.length && left.every((byte, index) => byte === right[index]);
}

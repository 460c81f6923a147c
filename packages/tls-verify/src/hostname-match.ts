import { domainToASCII } from 'node:url';
import { formatIpAddress, ipBytesEqual, parseIpAddress } from './ip-address.js';

/**
 * Server identity check, RFC 9525 (which obsoletes RFC 6125) applied
 * strictly:
 * - only subjectAltName entries count: DNS-IDs for a host name, IP-IDs for an
 *   IP address; the subject Common Name is never consulted (§6.3);
 * - a wildcard is only the whole left-most label, "*.example.com", matching
 *   exactly one non-empty label (§6.3 rule 2); "ba*.example.com",
 *   "*.*.example.com", "www.*.example.com" never match;
 * - a wildcard needs at least two labels after it, so "*.com" matches nothing
 *   (public suffix-like names, in the spirit of §7.1);
 * - names compare as A-labels, ASCII case-insensitively (§6.3, RFC 5890);
 *   a reference U-label is converted first;
 * - one trailing dot on either side is ignored (an absolute name);
 * - an IP reference matches only an iPAddress SAN, byte for byte, whatever
 *   its textual form (§6.5); a DNS SAN spelling an IP never matches.
 */

export interface PresentedIdentifiers {
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly Uint8Array[];
}

export type HostnameVerdict =
  | { readonly matched: true; readonly name: string }
  | { readonly matched: false; readonly reason: string };

export function matchHostname(reference: string, presented: PresentedIdentifiers): HostnameVerdict {
  const referenceIp = parseIpAddress(reference);
  if (referenceIp !== undefined) {
    for (const address of presented.ipAddresses) {
      if (ipBytesEqual(address, referenceIp))
        return { matched: true, name: `IP:${formatIpAddress(address)}` };
    }
    return {
      matched: false,
      reason: `IP address ${reference} matches no iPAddress subjectAltName (names presented: ${describePresented(presented)})`,
    };
  }
  const referenceName = normalizeReference(reference);
  if (referenceName === undefined) {
    return { matched: false, reason: `host ${JSON.stringify(reference)} is not a valid DNS name` };
  }
  if (presented.dnsNames.length === 0) {
    return {
      matched: false,
      reason: `the certificate has no DNS subjectAltName; its Common Name is not used (RFC 9525 §6.3) (names presented: ${describePresented(presented)})`,
    };
  }
  for (const name of presented.dnsNames) {
    if (dnsNameMatches(referenceName, name)) return { matched: true, name: `DNS:${name}` };
  }
  return {
    matched: false,
    reason: `host ${referenceName} matches none of the names presented: ${describePresented(presented)}`,
  };
}

/** "DNS:a.example, IP:127.0.0.1", or "none". */
export function describePresented(presented: PresentedIdentifiers): string {
  const names = [
    ...presented.dnsNames.map((name) => `DNS:${name}`),
    ...presented.ipAddresses.map((address) => `IP:${formatIpAddress(address)}`),
  ];
  return names.length === 0 ? 'none' : names.join(', ');
}

/** Lowercase A-label form without the trailing dot, or undefined if not a usable DNS name. */
function normalizeReference(reference: string): string | undefined {
  const withoutDot = reference.endsWith('.') ? reference.slice(0, -1) : reference;
  // domainToASCII applies UTS #46 (U-label → A-label, lowercasing) and returns '' when invalid.
  const ascii = /^[\x21-\x7e]*$/.test(withoutDot) ? withoutDot.toLowerCase() : domainToASCII(withoutDot);
  if (ascii === '' || !isLdhName(ascii)) return undefined;
  return ascii;
}

/** Letters, digits, hyphen and underscore in non-empty labels (underscore: real-world service names). */
function isLdhName(name: string): boolean {
  return name.split('.').every((label) => /^[a-z0-9_-]{1,63}$/.test(label));
}

function dnsNameMatches(reference: string, presentedName: string): boolean {
  const presented = (presentedName.endsWith('.') ? presentedName.slice(0, -1) : presentedName).toLowerCase();
  const labels = presented.split('.');
  if (labels[0] === '*') {
    const rest = labels.slice(1);
    // The wildcard must be the only "*" and stand before at least two labels.
    if (rest.length < 2 || !isLdhName(rest.join('.'))) return false;
    const referenceLabels = reference.split('.');
    if (referenceLabels.length !== labels.length) return false;
    return referenceLabels.slice(1).join('.') === rest.join('.');
  }
  if (!isLdhName(presented)) return false;
  return presented === reference;
}

import { createHash } from 'node:crypto';

/**
 * SHA-256 SPKI pinning in the manner of OkHttp's CertificatePinner (and the
 * pin format of RFC 7469 §2.4): a pin is "sha256/" plus the base64 SHA-256
 * of a certificate's DER SubjectPublicKeyInfo. Rules are per host pattern:
 * - "example.com" pins exactly that host;
 * - "*.example.com" pins exactly one label under it (not example.com itself);
 * - "**.example.com" pins example.com and any depth of subdomain.
 * Every rule matching a host contributes its pins; the connection passes when
 * any certificate of the verified chain has any of them. List a backup pin
 * (a key you hold but do not yet serve) so a key rotation cannot lock users out.
 */

export interface PinRule {
  /** Host pattern: "example.com", "*.example.com" or "**.example.com". */
  readonly host: string;
  /** Pins, "sha256/<base64 of 32 bytes>". */
  readonly pins: readonly string[];
}

/** The pin of a DER SubjectPublicKeyInfo. */
export function spkiPin(subjectPublicKeyInfo: Uint8Array): string {
  return `sha256/${createHash('sha256').update(subjectPublicKeyInfo).digest('base64')}`;
}

/** The canonical form of a pin, or undefined when it is not "sha256/" + base64 of 32 bytes. */
export function normalizePin(pin: string): string | undefined {
  const match = /^sha256\/([A-Za-z0-9+/]{43}=)$/.exec(pin);
  if (match === null) return undefined;
  const bytes = Buffer.from(match[1]!, 'base64');
  return bytes.length === 32 ? `sha256/${bytes.toString('base64')}` : undefined;
}

/** Lowercase without the trailing dot, or undefined when the pattern has a misplaced wildcard. */
export function normalizePinPattern(pattern: string): string | undefined {
  const lower = (pattern.endsWith('.') ? pattern.slice(0, -1) : pattern).toLowerCase();
  const rest = lower.startsWith('**.') ? lower.slice(3) : lower.startsWith('*.') ? lower.slice(2) : lower;
  if (rest === '' || rest.includes('*')) return undefined;
  if (!rest.split('.').every((label) => label.length > 0)) return undefined;
  return lower;
}

export function pinPatternMatches(pattern: string, host: string): boolean {
  const name = (host.endsWith('.') ? host.slice(0, -1) : host).toLowerCase();
  if (pattern.startsWith('**.')) {
    const suffix = pattern.slice(3);
    return name === suffix || name.endsWith(`.${suffix}`);
  }
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(2);
    if (!name.endsWith(`.${suffix}`)) return false;
    const label = name.slice(0, -suffix.length - 1);
    return label.length > 0 && !label.includes('.');
  }
  return name === pattern;
}

/** All pins that apply to `host` (empty: the host is not pinned). */
export function pinsForHost(rules: readonly PinRule[], host: string): string[] {
  const pins = new Set<string>();
  for (const rule of rules) {
    if (pinPatternMatches(rule.host, host)) for (const pin of rule.pins) pins.add(pin);
  }
  return [...pins];
}

export type PinVerdict =
  | { readonly ok: true; readonly matched: string | undefined }
  | { readonly ok: false; readonly expected: readonly string[]; readonly seen: readonly string[] };

/** Passes when nothing is required, or when any chain pin is an expected one. */
export function checkPins(expected: readonly string[], chainPins: readonly string[]): PinVerdict {
  if (expected.length === 0) return { ok: true, matched: undefined };
  const matched = chainPins.find((pin) => expected.includes(pin));
  return matched === undefined ? { ok: false, expected, seen: chainPins } : { ok: true, matched };
}

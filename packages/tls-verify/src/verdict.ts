import { readCertificateFields } from './certificate-fields.js';
import type { TlsCheck } from './errors.js';
import { matchHostname } from './hostname-match.js';
import { checkPins, type PinRule, pinsForHost, spkiPin } from './pins.js';

/**
 * The verdict on a fresh handshake, made from what OpenSSL established and
 * what we check ourselves, with no I/O: OpenSSL's chain result for the trust
 * store we gave it (Node's identity check is switched off because it falls
 * back to the Common Name and accepts partial wildcards), then our RFC 9525
 * hostname match, then pins against the verified chain.
 */

export interface VerdictInput {
  /** `TLSSocket.authorized`: OpenSSL built a chain to a trusted root. */
  readonly authorized: boolean;
  /** OpenSSL's X509 verify error code when not authorized (CERT_HAS_EXPIRED...). */
  readonly verifyErrorCode: string | undefined;
  /** The verified chain, leaf first, DER. */
  readonly chain: readonly Uint8Array[];
  /** The name or IP the server must prove it is. */
  readonly reference: string;
  readonly pins: readonly PinRule[];
}

export type Verdict =
  | { readonly ok: true; readonly matchedName: string; readonly matchedPin: string | undefined }
  | {
      readonly ok: false;
      readonly check: TlsCheck;
      readonly reason: string;
      readonly reasonCode?: string | undefined;
      readonly extra?: Readonly<Record<string, unknown>> | undefined;
    };

export function decideVerdict(input: VerdictInput): Verdict {
  if (!input.authorized) {
    const code = input.verifyErrorCode;
    const check = classifyVerifyError(code);
    return {
      ok: false,
      check,
      reason: `${CHAIN_REASONS[check] ?? CHAIN_REASONS.chain} (OpenSSL: ${code ?? 'unknown'})`,
      reasonCode: code,
    };
  }
  const leaf = input.chain[0];
  if (leaf === undefined)
    return { ok: false, check: 'handshake', reason: 'the server presented no certificate' };
  let fields: ReturnType<typeof readCertificateFields>;
  try {
    fields = readCertificateFields(leaf);
  } catch (error) {
    return {
      ok: false,
      check: 'hostname',
      reason: `the certificate's extensions cannot be read: ${String(error)}`,
    };
  }
  const hostname = matchHostname(input.reference, fields);
  if (!hostname.matched) return { ok: false, check: 'hostname', reason: hostname.reason };

  const expected = pinsForHost(input.pins, input.reference);
  if (expected.length === 0) return { ok: true, matchedName: hostname.name, matchedPin: undefined };
  const seen: string[] = [];
  for (const certificate of input.chain) {
    try {
      seen.push(spkiPin(readCertificateFields(certificate).subjectPublicKeyInfo));
    } catch {
      // An unreadable certificate has no pin; it can only make the check fail, never pass.
    }
  }
  const pins = checkPins(expected, seen);
  if (!pins.ok) {
    return {
      ok: false,
      check: 'pin',
      reason: `no certificate in the verified chain has a configured pin; expected one of ${expected.join(', ')}; chain pins: ${seen.join(', ')}`,
      extra: { expectedPins: expected, seenPins: seen },
    };
  }
  return { ok: true, matchedName: hostname.name, matchedPin: pins.matched };
}

const CHAIN_REASONS: Partial<Record<TlsCheck, string>> = {
  'untrusted-root': 'the certificate chain does not lead to a root of the trust store',
  expired: 'a certificate of the chain has expired',
  'not-yet-valid': 'a certificate of the chain is not valid yet',
  chain: 'the certificate chain is invalid',
};

/** OpenSSL X509_V_ERR_* names (as Node reports them) grouped into the checks users act on. */
export function classifyVerifyError(code: string | undefined): TlsCheck {
  switch (code) {
    case 'CERT_HAS_EXPIRED':
    case 'CRL_HAS_EXPIRED':
      return 'expired';
    case 'CERT_NOT_YET_VALID':
    case 'CRL_NOT_YET_VALID':
      return 'not-yet-valid';
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'CERT_UNTRUSTED':
      return 'untrusted-root';
    default:
      return 'chain';
  }
}

/** Handshake errors from Node/OpenSSL (ERR_SSL_*) grouped by what the user must change. */
export function classifyHandshakeError(code: string | undefined): TlsCheck {
  if (code === undefined) return 'handshake';
  if (/UNSUPPORTED_PROTOCOL|PROTOCOL_VERSION|NO_PROTOCOLS_AVAILABLE|VERSION_TOO_(?:LOW|HIGH)/.test(code)) {
    return 'protocol-version';
  }
  if (code.includes('ALERT')) return 'handshake-alert';
  return 'handshake';
}

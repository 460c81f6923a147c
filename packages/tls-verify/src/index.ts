export type { CertificateFields } from './certificate-fields.js';
export { readCertificateFields } from './certificate-fields.js';
export { type CertificateSummary, summarizeCertificate } from './certificate-summary.js';
export { type TlsCheck, type TlsFailureDetails, tlsFailure } from './errors.js';
export {
  describePresented,
  type HostnameVerdict,
  matchHostname,
  type PresentedIdentifiers,
} from './hostname-match.js';
export { formatIpAddress, parseIpAddress } from './ip-address.js';
export {
  checkPins,
  normalizePin,
  type PinRule,
  type PinVerdict,
  pinPatternMatches,
  pinsForHost,
  spkiPin,
} from './pins.js';
export {
  type CertificateInput,
  type ClientCertificate,
  type NormalizedPolicy,
  normalizePolicy,
  policyKey,
  type TlsPolicy,
  type TlsVersion,
  type TrustOptions,
} from './policy.js';
export {
  createSessionCache,
  type SessionCacheOptions,
  sessionKey,
  type TlsSessionCache,
  type TlsSessionEntry,
} from './session-cache.js';
export { type TlsConnector, type TlsConnectorOptions, tlsConnector } from './tls-connector.js';
export type { TlsMeta } from './tls-meta.js';

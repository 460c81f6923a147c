import type { CertificateSummary } from './certificate-summary.js';

/** What a connection made by `tlsConnector` reports in every response it carries (`response.meta.tls`). */
export interface TlsMeta {
  /** Negotiated version, "TLSv1.3" or "TLSv1.2". */
  readonly protocol: string | undefined;
  /** ALPN result ("http/1.1"), undefined when the server chose none. */
  readonly alpnProtocol: string | undefined;
  /** IANA cipher suite name, e.g. "TLS_AES_128_GCM_SHA256". */
  readonly cipher: string | undefined;
  /** True when an earlier session was resumed (its stored verdict is reported). */
  readonly resumed: boolean;
  /** "skipped" only under `insecureSkipVerify: true`: treat such a response as unauthenticated. */
  readonly verification: 'verified' | 'skipped';
  /** The SNI name sent, undefined for an IP literal. */
  readonly servername: string | undefined;
  /** The subjectAltName that matched ("DNS:*.example.com", "IP:127.0.0.1"). */
  readonly matchedName: string | undefined;
  /** The pin that matched, when the host is pinned. */
  readonly matchedPin: string | undefined;
  /** The verified chain, leaf first. */
  readonly peerChain: readonly CertificateSummary[];
  /** `policyKey` of the policy the connection was verified under. */
  readonly policyKey: string;
}

declare module '@x/core' {
  interface ResponseMeta {
    tls?: TlsMeta | undefined;
  }
}

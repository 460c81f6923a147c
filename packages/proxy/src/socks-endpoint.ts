import { invalidProxyOption } from './errors.js';
import { credentialKey, decodeUserinfo } from './proxy-credentials.js';
import type { ProxyEndpoint } from './proxy-endpoint.js';
import { encodeCredentials } from './socks5-handshake.js';

/** What a SOCKS5 proxy needs beyond its address. */
export interface SocksSettings {
  /** `socks5h:` — the proxy resolves host names; `socks5:` — the client resolves them and sends an address. */
  readonly remoteDns: boolean;
  /** RFC 1929 username/password, percent-decoded UTF-8 bytes; never logged, never in an error. */
  readonly credentials: SocksCredentials | undefined;
}

export interface SocksCredentials {
  readonly username: Uint8Array;
  readonly password: Uint8Array;
}

/** RFC 1928 §3: the port a SOCKS server listens on unless told otherwise. */
export const DEFAULT_SOCKS_PORT = 1080;

/** Schemes other clients read as SOCKS versions this package does not speak. */
const UNSUPPORTED_SOCKS = new Set(['socks:', 'socks4:', 'socks4a:']);

export function isSocksScheme(protocol: string): boolean {
  return protocol === 'socks5:' || protocol === 'socks5h:';
}

/**
 * Refuses SOCKS4 and the bare `socks://`: curl reads `socks://` as SOCKS4,
 * other clients as SOCKS5, so no reading of it is safe to guess.
 */
export function refuseUnsupportedSocks(protocol: string, option: string): void {
  if (!UNSUPPORTED_SOCKS.has(protocol)) return;
  throw invalidProxyOption(
    `${option}: ${protocol}// proxies are not supported; use socks5:// (the client resolves names) or socks5h:// (the proxy resolves them)`,
    option,
  );
}

/**
 * A `socks5://` or `socks5h://` proxy URL (already parsed, scheme checked).
 * The host is read again under http: so it is normalised the way special
 * URLs are (lower case, IPv4 forms, IDNA); the port comes from the URL as
 * written (default 1080). Credentials are the URL's userinfo, percent-decoded;
 * `authorization` (a Proxy-Authorization value) has no meaning for SOCKS.
 */
export function parseSocksProxy(url: URL, hasAuthorization: boolean, option: string): ProxyEndpoint {
  if (hasAuthorization)
    throw invalidProxyOption(`${option}.authorization applies to HTTP proxies only, not SOCKS`, option);
  let normalised: URL;
  try {
    normalised = new URL(`http://${url.host}`);
  } catch {
    throw invalidProxyOption(`${option} has an invalid host`, option);
  }
  const hostname = normalised.hostname;
  if (hostname === '') throw invalidProxyOption(`${option} has no host`, option);
  const port = url.port === '' ? DEFAULT_SOCKS_PORT : Number(url.port);
  const credentials = url.username === '' && url.password === '' ? undefined : decodeCredentials(url, option);
  const origin = `${url.protocol}//${hostname}:${port}`;
  const secret =
    credentials === undefined ? undefined : encodeCredentials(credentials.username, credentials.password);
  return {
    url: origin,
    target: { scheme: 'http', host: hostname.replace(/^\[|\]$/g, ''), port },
    authorization: undefined,
    key: credentialKey(origin, secret),
    socks: { remoteDns: url.protocol === 'socks5h:', credentials },
  };
}

function decodeCredentials(url: URL, option: string): SocksCredentials {
  const { username, password } = decodeUserinfo(url, option);
  const credentials = { username: Buffer.from(username, 'utf8'), password: Buffer.from(password, 'utf8') };
  // RFC 1929 §2: one length byte each.
  if (credentials.username.length > 255 || credentials.password.length > 255)
    throw invalidProxyOption(`${option}: a SOCKS user name and password are at most 255 bytes each`, option);
  return credentials;
}

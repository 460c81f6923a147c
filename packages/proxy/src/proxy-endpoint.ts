import { type ConnectTarget, connectTargetFor, redactUrl } from '@x/core';
import { fieldValueProblem } from '@x/headers';
import { invalidProxyOption } from './errors.js';
import { credentialKey, decodeUserinfo } from './proxy-credentials.js';
import {
  isSocksScheme,
  parseSocksProxy,
  refuseUnsupportedSocks,
  type SocksSettings,
} from './socks-endpoint.js';

/** A proxy as a caller may give it: a URL, or a URL with a Proxy-Authorization value of their own. */
export type ProxyInput = string | URL | ProxyServer;

export interface ProxyServer {
  /**
   * `http://host:port` or `https://host:port` (TLS to the proxy itself):
   * credentials in it mean Basic auth. `socks5://` / `socks5h://host:port`
   * (default port 1080): credentials in it mean RFC 1929 username/password.
   */
  readonly url: string | URL;
  /**
   * The whole Proxy-Authorization value (e.g. `Bearer …`, `Negotiate …`).
   * Wins over credentials in the URL. Sent to this proxy only. HTTP(S) proxies only.
   */
  readonly authorization?: string | undefined;
}

/** A parsed, validated proxy. */
export interface ProxyEndpoint {
  /** The proxy URL without credentials: safe for errors, logs and metadata. */
  readonly url: string;
  /** Where the proxy is: scheme http (plain TCP: an HTTP or SOCKS proxy) or https (TLS to the proxy). */
  readonly target: ConnectTarget;
  /** The Proxy-Authorization value, or undefined (always for SOCKS). Never logged, never in an error. */
  readonly authorization: string | undefined;
  /**
   * Identity for a pool key: the proxy URL plus a hash of the credentials,
   * so two users of one proxy never share a connection (SECURITY.md 15) and
   * no secret sits in a key that may be logged.
   */
  readonly key: string;
  /** Set for a SOCKS5 proxy (`socks5:` / `socks5h:`), undefined for an HTTP(S) proxy. */
  readonly socks?: SocksSettings | undefined;
}

/**
 * Parses a proxy: http:, https:, socks5: or socks5h:, a scheme-less
 * `host:port` taken as http:// the way curl does, user:password turned into
 * Basic credentials (RFC 7617; percent-decoded, UTF-8).
 */
export function parseProxy(input: ProxyInput, option: string): ProxyEndpoint {
  const given = typeof input === 'string' || input instanceof URL ? { url: input } : input;
  if (typeof given !== 'object' || given === null)
    throw invalidProxyOption(`${option} must be a URL`, option);
  const rawUrl = Object.hasOwn(given, 'url') ? given.url : undefined;
  const rawAuthorization = Object.hasOwn(given, 'authorization') ? given.authorization : undefined;
  let text = typeof rawUrl === 'string' ? rawUrl.trim() : rawUrl instanceof URL ? rawUrl.href : undefined;
  if (text === undefined || text === '') throw invalidProxyOption(`${option} must be a URL`, option);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `http://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The input may hold credentials: never echo it.
    throw invalidProxyOption(`${option} is not a valid URL`, option);
  }
  if (isSocksScheme(url.protocol)) return parseSocksProxy(url, rawAuthorization !== undefined, option);
  refuseUnsupportedSocks(url.protocol, option);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidProxyOption(
      `${option}: only http://, https://, socks5:// and socks5h:// proxies are supported (got ${url.protocol})`,
      option,
    );
  }
  if (url.hostname === '') throw invalidProxyOption(`${option} has no host`, option);
  let authorization: string | undefined;
  if (rawAuthorization !== undefined) {
    if (
      typeof rawAuthorization !== 'string' ||
      rawAuthorization === '' ||
      fieldValueProblem(rawAuthorization) !== null
    ) {
      throw invalidProxyOption(`${option}.authorization must be a valid field value`, option);
    }
    authorization = rawAuthorization;
  } else if (url.username !== '' || url.password !== '') {
    authorization = basic(url, option);
  }
  const clean = redactUrl(url) as string;
  const target = connectTargetFor(url);
  const origin = `${url.protocol}//${url.host}`;
  return { url: clean, target, authorization, key: credentialKey(origin, authorization) };
}

function basic(url: URL, option: string): string {
  const { username, password } = decodeUserinfo(url, option);
  // RFC 7617 §2: a user-id containing a colon cannot be expressed.
  if (username.includes(':')) throw invalidProxyOption(`${option}: a user name may not contain ":"`, option);
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

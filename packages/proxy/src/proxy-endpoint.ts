import { createHash } from 'node:crypto';
import { type ConnectTarget, connectTargetFor, redactUrl } from '@x/core';
import { fieldValueProblem } from '@x/headers';
import { invalidProxyOption } from './errors.js';

/** A proxy as a caller may give it: a URL, or a URL with a Proxy-Authorization value of their own. */
export type ProxyInput = string | URL | ProxyServer;

export interface ProxyServer {
  /** `http://host:port` or `https://host:port` (TLS to the proxy itself); credentials in it mean Basic auth. */
  readonly url: string | URL;
  /**
   * The whole Proxy-Authorization value (e.g. `Bearer …`, `Negotiate …`).
   * Wins over credentials in the URL. Sent to this proxy only.
   */
  readonly authorization?: string | undefined;
}

/** A parsed, validated proxy. */
export interface ProxyEndpoint {
  /** The proxy URL without credentials: safe for errors, logs and metadata. */
  readonly url: string;
  /** Where the proxy is: scheme http (plain TCP) or https (TLS to the proxy). */
  readonly target: ConnectTarget;
  /** The Proxy-Authorization value, or undefined. Never logged, never in an error. */
  readonly authorization: string | undefined;
  /**
   * Identity for a pool key: the proxy URL plus a hash of the credentials,
   * so two users of one proxy never share a connection (SECURITY.md 15) and
   * no secret sits in a key that may be logged.
   */
  readonly key: string;
}

/**
 * Parses a proxy: http: or https: only (SOCKS is not built), a scheme-less
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
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidProxyOption(
      `${option}: only http:// and https:// proxies are supported (got ${url.protocol})`,
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
  const key =
    authorization === undefined
      ? origin
      : `${origin}#${createHash('sha256').update(authorization).digest('base64url').slice(0, 22)}`;
  return { url: clean, target, authorization, key };
}

function basic(url: URL, option: string): string {
  let user: string;
  let password: string;
  try {
    user = decodeURIComponent(url.username);
    password = decodeURIComponent(url.password);
  } catch {
    throw invalidProxyOption(`${option} has malformed percent-encoding in its credentials`, option);
  }
  // RFC 7617 §2: a user-id containing a colon cannot be expressed.
  if (user.includes(':')) throw invalidProxyOption(`${option}: a user name may not contain ":"`, option);
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

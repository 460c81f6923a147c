import { isToken68Char } from './authentication-challenge.js';
import { InvalidHeaderError } from './invalid-header-error.js';
import { tokenOrQuotedString } from './parameter-scanner.js';
import { isToken } from './syntax.js';

/**
 * Builders for the Authorization / Proxy-Authorization value a client
 * sends (RFC 9110 §11.4, §11.6.2, §11.7.2):
 *
 *   credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *
 * Everything is validated; a value that could break the header (CR, LF,
 * NUL, other controls) or that the scheme forbids throws InvalidHeaderError.
 */

/**
 * `Basic base64(user-id ":" password)`, RFC 7617 §2, with UTF-8 as the
 * charset (§2.1; the only one RFC 7617 defines). The user-id may not
 * contain ":" and neither part may contain control characters (§2).
 */
export function basicAuthorization(userId: string, password: string, header = 'Authorization'): string {
  if (typeof userId !== 'string' || typeof password !== 'string') {
    throw new InvalidHeaderError(header, 'user-id and password must be strings');
  }
  if (userId.includes(':')) throw new InvalidHeaderError(header, 'a Basic user-id may not contain ":"');
  for (const part of [userId, password]) {
    if (hasControl(part))
      throw new InvalidHeaderError(header, 'Basic credentials may not contain control characters');
    if (!part.isWellFormed())
      throw new InvalidHeaderError(header, 'Basic credentials must be well-formed text');
  }
  return `Basic ${Buffer.from(`${userId}:${password}`, 'utf8').toString('base64')}`;
}

/** `Bearer <token>`, RFC 6750 §2.1: the token must be b64token (token68 syntax). */
export function bearerAuthorization(token: string, header = 'Authorization'): string {
  return formatAuthorization('Bearer', token, header);
}

/**
 * Any scheme: `formatAuthorization('Bearer', token)` for token68 data, or
 * `formatAuthorization('Digest', { username: 'a', realm: 'r', ... })` for
 * auth-params (values quoted unless they are tokens), given as a Map or a
 * record (own keys only).
 */
export function formatAuthorization(
  scheme: string,
  credentials: string | ReadonlyMap<string, string> | Readonly<Record<string, string>>,
  header = 'Authorization',
): string {
  if (typeof scheme !== 'string' || !isToken(scheme)) {
    throw new InvalidHeaderError(header, 'auth-scheme is not a token');
  }
  if (typeof credentials === 'string') {
    if (!isToken68(credentials)) throw new InvalidHeaderError(header, 'credentials are not a token68');
    return `${scheme} ${credentials}`;
  }
  const parts: string[] = [];
  // A Map keeps any order; a record puts integer-like names first (JS property order).
  const entries: Iterable<[string, unknown]> =
    credentials instanceof Map
      ? credentials
      : Object.entries(credentials as Readonly<Record<string, string>>);
  for (const [name, value] of entries) {
    if (!isToken(name))
      throw new InvalidHeaderError(header, `auth-param name ${JSON.stringify(name)} is not a token`);
    if (typeof value !== 'string')
      throw new InvalidHeaderError(header, `auth-param ${name} must be a string`);
    if (hasControl(value))
      throw new InvalidHeaderError(header, `auth-param ${name} contains a control character`);
    if (hasBeyondLatin1(value)) {
      throw new InvalidHeaderError(header, `auth-param ${name} has characters a header cannot carry`);
    }
    parts.push(`${name}=${tokenOrQuotedString(value)}`);
  }
  return parts.length === 0 ? scheme : `${scheme} ${parts.join(', ')}`;
}

/** token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
export function isToken68(value: string): boolean {
  let index = 0;
  while (index < value.length && isToken68Char(value.charCodeAt(index))) index++;
  if (index === 0) return false;
  while (index < value.length && value.charCodeAt(index) === 0x3d) index++;
  return index === value.length;
}

function hasControl(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function hasBeyondLatin1(value: string): boolean {
  for (let index = 0; index < value.length; index++) if (value.charCodeAt(index) > 0xff) return true;
  return false;
}

import { createHash } from 'node:crypto';
import { invalidProxyOption } from './errors.js';

/**
 * A proxy's identity for a pool key: its origin, plus a SHA-256 prefix of
 * its credentials when it has some, so two users of one proxy never share a
 * connection (SECURITY.md 15) and no secret sits in a key that may be logged.
 */
export function credentialKey(origin: string, secret: string | Uint8Array | undefined): string {
  if (secret === undefined) return origin;
  return `${origin}#${createHash('sha256').update(secret).digest('base64url').slice(0, 22)}`;
}

/** A proxy URL's user name and password, percent-decoded; the error never echoes them. */
export function decodeUserinfo(url: URL, option: string): { username: string; password: string } {
  try {
    return { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  } catch {
    throw invalidProxyOption(`${option} has malformed percent-encoding in its credentials`, option);
  }
}

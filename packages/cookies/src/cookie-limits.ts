/**
 * RFC 6265bis §5.6 size limits, applied to a Set-Cookie value before
 * tough-cookie parses it (tough-cookie does not enforce them):
 * - a name plus value longer than 4096 octets: the whole cookie is ignored;
 * - an attribute value longer than 1024 octets: that attribute is ignored.
 * Pure: returns the value to store, or a reason to refuse it.
 */

export const MAX_NAME_VALUE_BYTES = 4096;
export const MAX_ATTRIBUTE_VALUE_BYTES = 1024;

export type LimitVerdict =
  | { readonly ok: true; readonly setCookie: string }
  | { readonly ok: false; readonly reason: string };

export function applyCookieLimits(setCookie: string): LimitVerdict {
  const parts = setCookie.split(';');
  const nameValue = parts[0] ?? '';
  if (Buffer.byteLength(nameValue.trim(), 'utf8') > MAX_NAME_VALUE_BYTES) {
    return { ok: false, reason: `name and value exceed ${MAX_NAME_VALUE_BYTES} bytes (RFC 6265bis §5.6)` };
  }
  let dropped = false;
  const kept = [nameValue];
  for (const attribute of parts.slice(1)) {
    const equals = attribute.indexOf('=');
    const value = equals === -1 ? '' : attribute.slice(equals + 1);
    if (Buffer.byteLength(value.trim(), 'utf8') > MAX_ATTRIBUTE_VALUE_BYTES) {
      dropped = true;
      continue;
    }
    kept.push(attribute);
  }
  return { ok: true, setCookie: dropped ? kept.join(';') : setCookie };
}

/** The cookie name of a Set-Cookie value, for reports (never the value: it may be a credential). */
export function cookieNameOf(setCookie: string): string {
  const nameValue = setCookie.split(';', 1)[0] ?? '';
  const equals = nameValue.indexOf('=');
  return (equals === -1 ? '' : nameValue.slice(0, equals)).trim().slice(0, 64);
}

import type { HeaderList } from '@x/headers';

/**
 * Where a redirect points, read from the response's Location field.
 * - `none`: no usable target (absent, empty, several that disagree, or not a
 *   URI reference). The 3xx is handed back as is: it is a response, and the
 *   caller may still want its body (RFC 9110 §15.4 only says a client MAY
 *   follow).
 * - `unsupported`: a well-formed target whose scheme is not http or https
 *   (file:, data:, javascript:, ftp:...). Never followed (SECURITY.md rule 25).
 * - `target`: the absolute URL to request next.
 */
export type LocationTarget =
  | { readonly kind: 'none'; readonly reason: string }
  | { readonly kind: 'unsupported'; readonly scheme: string }
  | { readonly kind: 'target'; readonly url: URL };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Resolves the Location of a response against the URL of the request that
 * got it (RFC 9110 §10.2.2: a relative reference is resolved against the
 * target URI). Pure: no I/O, never throws.
 */
export function redirectTarget(headers: HeaderList, current: URL): LocationTarget {
  const values = headers.getAll('location');
  if (values.length === 0) return { kind: 'none', reason: 'no Location field' };
  const first = values[0] as string;
  // Several Location lines are only tolerable when they say the same thing;
  // otherwise there is no telling which one the server meant.
  if (values.some((value) => value !== first)) return { kind: 'none', reason: 'conflicting Location fields' };
  return resolveLocation(first, current);
}

/** Resolves one Location value; see `redirectTarget`. */
export function resolveLocation(value: string, current: URL): LocationTarget {
  const reference = decodeUtf8Bytes(value.trim());
  if (reference === '') return { kind: 'none', reason: 'empty Location' };
  let url: URL;
  try {
    url = new URL(reference, current);
  } catch {
    return { kind: 'none', reason: 'Location is not a URI reference' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { kind: 'unsupported', scheme: url.protocol.slice(0, -1) };
  }
  // RFC 9110 §10.2.2: a Location without a fragment inherits the fragment of
  // the reference that produced the request, so `/a#top` → 302 `/b` lands on
  // `/b#top`. An explicit fragment (even an empty `#`) wins. The fragment is
  // never sent; it matters for the final `response.url`.
  if (!reference.includes('#') && current.hash !== '') url.hash = current.hash;
  return { kind: 'target', url };
}

/**
 * Field values arrive as Latin-1 (one char per octet). Servers routinely put
 * raw UTF-8 in Location; browsers decode it as UTF-8, so do we when the
 * octets are valid UTF-8. Anything else is left for the URL parser to
 * percent-encode.
 */
function decodeUtf8Bytes(value: string): string {
  let high = false;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code > 0xff) return value;
    if (code >= 0x80) high = true;
  }
  if (!high) return value;
  const bytes = new Uint8Array(value.length);
  for (let index = 0; index < value.length; index++) bytes[index] = value.charCodeAt(index);
  try {
    return utf8.decode(bytes);
  } catch {
    return value;
  }
}

import { asciiLower, type HeaderList } from '@x/headers';

/**
 * Fields that describe the request body, meaningless (and misleading to the
 * next server) once the body is dropped: the Fetch standard's
 * request-body-header names, the framing fields, digests of the content
 * (RFC 9530) and Expect: 100-continue, which only makes sense with a body.
 */
export const BODY_HEADERS: readonly string[] = [
  'content-length',
  'transfer-encoding',
  'content-type',
  'content-encoding',
  'content-language',
  'content-location',
  'content-digest',
  'repr-digest',
  'digest',
  'expect',
  'trailer',
];

/**
 * Removes every line of the given (lower-cased) names. Returns the same list
 * when none is present, so an unchanged hop costs no copy; never mutates the
 * list it was given.
 */
export function withoutHeaders(headers: HeaderList, names: Iterable<string>): HeaderList {
  let copy: HeaderList | undefined;
  for (const name of names) {
    const key = asciiLower(name);
    if (!(copy ?? headers).has(key)) continue;
    copy ??= headers.clone();
    copy.delete(key);
  }
  return copy ?? headers;
}

/** A copy of `url` without user:password (RFC 9110 §4.2.4 deprecates userinfo in http(s) URLs). */
export function withoutUserinfo(url: URL): URL {
  if (url.username === '' && url.password === '') return url;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy;
}

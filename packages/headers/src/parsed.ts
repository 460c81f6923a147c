/**
 * The result of parsing a header a server sent. Received headers are often
 * wrong; a parser never throws on them. It returns `{ ok: false, reason }`
 * and the caller decides (usually: treat as absent). Builders of headers we
 * send are the opposite: they validate and throw InvalidHeaderError.
 */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

export function parsedOk<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function parsedInvalid<T = never>(reason: string): Parsed<T> {
  return { ok: false, reason };
}

/**
 * Reading a singleton field such as Content-Type, ETag, Content-Range or
 * Date (RFC 9110 §5.3: a field that is not a list must not be repeated).
 * Repeated identical lines are read once; lines that differ make the field
 * invalid rather than picking one, since guessing which value the sender
 * meant is how content-sniffing and cache-confusion bugs start.
 */
import type { HeaderList } from './header-list.js';
import { type Parsed, parsedInvalid } from './parsed.js';

/** The single value of a singleton field; `undefined` when absent, null when the lines disagree. */
export function singletonValue(headers: HeaderList, name: string): string | null | undefined {
  const lines = headers.getAll(name);
  const first = lines[0];
  if (first === undefined) return undefined;
  for (let i = 1; i < lines.length; i++) if (lines[i] !== first) return null;
  return first;
}

/**
 * Parses the singleton field `name` with `parse`: null when absent, invalid
 * ("conflicting <label> field lines") when its lines disagree.
 */
export function parseSingleton<T>(
  headers: HeaderList,
  name: string,
  label: string,
  parse: (value: string) => Parsed<T>,
): Parsed<T> | null {
  const value = singletonValue(headers, name);
  if (value === undefined) return null;
  if (value === null) return parsedInvalid(`conflicting ${label} field lines`);
  return parse(value);
}

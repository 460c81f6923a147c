import { asciiLower, connection, HeaderList } from '@x/headers';

/**
 * Which header fields are stored, and how a stored response's fields are
 * updated from a newer response (RFC 9111 §3.1 and §3.2).
 */

/** Connection-specific fields (RFC 9110 §7.6.1) and Proxy-Authentication-Info, never stored (§3.1). */
const NOT_STORED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'proxy-authentication-info',
  'proxy-authorization',
  'trailer',
]);

/**
 * Fields a 304 or HEAD must not overwrite (§3.2): those excepted from
 * storage, Content-Length (the stored body's length does not change), and
 * fields the stored body depends on (its coding and range).
 */
const NOT_UPDATED = new Set([...NOT_STORED, 'content-length', 'content-encoding', 'content-range']);

/** The field names listed in Connection, which are hop-by-hop too (RFC 9110 §7.6.1). */
function connectionOptions(headers: HeaderList): Set<string> {
  return new Set(connection(headers).tokens);
}

/** The fields of a received response that a cache stores (§3.1), wire order and casing kept. */
export function storedFields(headers: HeaderList): [string, string][] {
  const listed = connectionOptions(headers);
  const out: [string, string][] = [];
  for (const [name, value] of headers) {
    const key = asciiLower(name);
    if (NOT_STORED.has(key) || listed.has(key)) continue;
    out.push([name, value]);
  }
  return out;
}

/**
 * §3.2: every field of the new response replaces the stored field of the
 * same name (all its lines), except those in NOT_UPDATED; stored fields the
 * new response does not mention are kept.
 */
export function updateStoredFields(
  stored: ReadonlyArray<readonly [string, string]>,
  newer: HeaderList,
): [string, string][] {
  const listed = connectionOptions(newer);
  const replacing = new Map<string, [string, string][]>();
  for (const [name, value] of newer) {
    const key = asciiLower(name);
    if (NOT_UPDATED.has(key) || listed.has(key)) continue;
    let lines = replacing.get(key);
    if (!lines) {
      lines = [];
      replacing.set(key, lines);
    }
    lines.push([name, value]);
  }
  const out: [string, string][] = [];
  const written = new Set<string>();
  for (const [name, value] of stored) {
    const key = asciiLower(name);
    const replacement = replacing.get(key);
    if (replacement === undefined) {
      out.push([name, value]);
    } else if (!written.has(key)) {
      written.add(key);
      out.push(...replacement);
    }
  }
  for (const [key, lines] of replacing) if (!written.has(key)) out.push(...lines);
  return out;
}

/** A HeaderList from stored fields; null when a stored record holds a field that is not valid. */
export function headerListOf(fields: ReadonlyArray<readonly [string, string]>): HeaderList | null {
  try {
    return new HeaderList(fields);
  } catch {
    return null;
  }
}

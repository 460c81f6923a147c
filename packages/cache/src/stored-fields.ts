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
  return pairs(storedFieldLines(headers));
}

/** `storedFields` as the flat `[name, value, ...]` lines a stored head keeps (`StoredResponseHead.fields`). */
export function storedFieldLines(headers: HeaderList): string[] {
  const listed = headers.has('connection') ? connectionOptions(headers) : NOTHING_LISTED;
  const raw = headers.toRaw();
  const out: string[] = [];
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index] as string;
    const key = asciiLower(name);
    if (NOT_STORED.has(key) || listed.has(key)) continue;
    out.push(name, raw[index + 1] as string);
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
  const flat: string[] = [];
  for (const [name, value] of stored) flat.push(name, value);
  return pairs(mergeFields(flat, newer));
}

/**
 * §3.2 on flat `[name, value, ...]` lines: the stored lines with the newer
 * response's fields merged in, in the order `updateStoredFields` gives.
 * Works on what HeaderLists hold, so the result needs no validation again
 * when both sides were HeaderLists (`HeaderList.fromRaw`).
 */
export function mergeFields(stored: readonly string[], newer: HeaderList): string[] {
  const listed = newer.has('connection') ? connectionOptions(newer) : NOTHING_LISTED;
  const newerRaw = newer.toRaw();
  // Lower-cased name of each replacing line, or null for lines that do not replace (a 304 has a handful).
  const replacingKeys: (string | null)[] = [];
  let replacing = 0;
  for (let index = 0; index < newerRaw.length; index += 2) {
    const key = asciiLower(newerRaw[index] as string);
    const kept = NOT_UPDATED.has(key) || listed.has(key);
    replacingKeys.push(kept ? null : key);
    if (!kept) replacing++;
  }
  if (replacing === 0) return stored.slice();
  const out: string[] = [];
  const written: string[] = [];
  for (let index = 0; index < stored.length; index += 2) {
    const key = asciiLower(stored[index] as string);
    if (!replacingKeys.includes(key)) out.push(stored[index] as string, stored[index + 1] as string);
    else if (!written.includes(key)) writeLinesOf(key, replacingKeys, newerRaw, out, written);
  }
  // Fields the stored response lacked, grouped by name in order of first appearance.
  for (const key of replacingKeys) {
    if (key !== null && !written.includes(key)) writeLinesOf(key, replacingKeys, newerRaw, out, written);
  }
  return out;
}

/** Appends every newer line named `key` to `out` (a plain function: no closure made per merge). */
function writeLinesOf(
  key: string,
  replacingKeys: readonly (string | null)[],
  newerRaw: readonly string[],
  out: string[],
  written: string[],
): void {
  written.push(key);
  for (let line = 0; line < replacingKeys.length; line++) {
    if (replacingKeys[line] === key) out.push(newerRaw[2 * line] as string, newerRaw[2 * line + 1] as string);
  }
}

/** Flat `[name, value, ...]` lines as the `[name, value]` pairs a stored head holds. */
export function pairs(flat: readonly string[]): [string, string][] {
  const out = new Array<[string, string]>(flat.length >>> 1);
  for (let index = 0; index < out.length; index++) {
    out[index] = [flat[2 * index] as string, flat[2 * index + 1] as string];
  }
  return out;
}

const NOTHING_LISTED: ReadonlySet<string> = new Set();

/**
 * A HeaderList from a stored head's flat field lines, each checked as a
 * caller's would be (a store may hand back anything); null when a line is
 * not a valid field or the lines do not pair up.
 */
export function headerListOf(fields: readonly string[]): HeaderList | null {
  if (fields.length % 2 !== 0) return null;
  const list = new HeaderList();
  try {
    for (let index = 0; index < fields.length; index += 2) {
      list.append(fields[index] as string, fields[index + 1] as string);
    }
  } catch {
    return null;
  }
  return list;
}

import type { CacheEntry, StoredResponseHead } from '../cache-store.js';

/**
 * The JSON form of a stored entry's head, shared by the stores that persist
 * outside the process (file system, Redis). What comes back from disk or
 * from another process is checked field by field: a corrupt or foreign
 * record is read as "absent", never trusted.
 */
export interface EncodedEntry extends CacheEntry {
  /** The primary key, kept so a hash collision or a stray file is never served for another key. */
  readonly key: string;
}

const FORMAT_VERSION = 1;

export function encodeEntry(entry: EncodedEntry): string {
  return JSON.stringify({
    version: FORMAT_VERSION,
    key: entry.key,
    variant: entry.variant,
    bodyId: entry.bodyId,
    bodySize: entry.bodySize,
    head: entry.head,
  });
}

/** The entry in `text`, or null when it is not a well-formed record of this format. */
export function decodeEntry(text: string): EncodedEntry | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value) || value.version !== FORMAT_VERSION) return null;
  const { key, variant, bodyId, bodySize, head } = value;
  if (typeof key !== 'string' || typeof variant !== 'string' || typeof bodyId !== 'string') return null;
  if (!isSize(bodySize)) return null;
  const decodedHead = decodeHead(head);
  if (decodedHead === null) return null;
  return { key, variant, bodyId, bodySize, head: decodedHead };
}

function decodeHead(value: unknown): StoredResponseHead | null {
  if (!isRecord(value)) return null;
  const { status, reason, httpVersion, url, varyValues, requestTime, responseTime, discardAfter } = value;
  const fields = fieldLines(value);
  if (fields === null) return null;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 999) return null;
  if (typeof reason !== 'string' || typeof url !== 'string') return null;
  if (httpVersion !== '1.0' && httpVersion !== '1.1') return null;
  if (!Array.isArray(varyValues) || !varyValues.every(isVaryPair)) return null;
  if (!Number.isFinite(requestTime) || !Number.isFinite(responseTime)) return null;
  if (discardAfter !== null && !Number.isFinite(discardAfter)) return null;
  return {
    status,
    reason,
    httpVersion,
    fields,
    url,
    varyValues: varyValues as [string, string | null][],
    requestTime: requestTime as number,
    responseTime: responseTime as number,
    discardAfter: discardAfter as number | null,
  };
}

/**
 * The head's field lines: `fields` (flat `[name, value, ...]`), or the
 * `headers` pairs that heads written before that form held, so entries
 * already on disk or in Redis stay readable.
 */
function fieldLines(head: Record<string, unknown>): string[] | null {
  const { fields, headers } = head;
  if (Array.isArray(fields)) {
    if (fields.length % 2 !== 0 || !fields.every((line) => typeof line === 'string')) return null;
    return fields as string[];
  }
  if (!Array.isArray(headers) || !headers.every(isStringPair)) return null;
  return (headers as [string, string][]).flat();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isStringPair(value: unknown): boolean {
  return (
    Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string'
  );
}

function isVaryPair(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'string' &&
    (typeof value[1] === 'string' || value[1] === null)
  );
}

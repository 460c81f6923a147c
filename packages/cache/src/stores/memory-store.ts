import { type BodySource, type Clock, systemClock } from '@x/core';
import type { CacheBodyWriter, CacheEntry, CacheStore, StoredResponseHead } from '../cache-store.js';
import { StoredBodySource } from './stored-body-source.js';

export interface MemoryStoreOptions {
  /** Upper bound on the bytes held (bodies plus an estimate of heads). Default 64 MiB. */
  maxBytes?: number | undefined;
  /** Largest single response kept; a bigger body is abandoned while it streams. Default 8 MiB. */
  maxEntryBytes?: number | undefined;
  /** Used to honour `discardAfter`. Default `systemClock()`. */
  clock?: Clock | undefined;
}

export const MEMORY_STORE_DEFAULTS = Object.freeze({
  maxBytes: 64 * 1024 * 1024,
  maxEntryBytes: 8 * 1024 * 1024,
});

/**
 * One stored response. It is also the CacheEntry `list()` hands out (its
 * public fields are exactly those), so an entry is one object, not an
 * entry plus a view of it. A head update makes a new one: a CacheEntry
 * listed before the update keeps the head it was listed with.
 */
class MemoryEntry implements CacheEntry {
  readonly variant: string;
  readonly bodyId: string;
  readonly bodySize: number;
  readonly head: StoredResponseHead;
  /** The primary key it is stored under (the same string as the map's key: no copy). */
  readonly key: string;
  /** The whole body in one buffer of its exact size, joined at commit, so a hit hands it over in one read. */
  readonly body: Uint8Array;
  readonly size: number;

  constructor(key: string, variant: string, bodyId: string, body: Uint8Array, head: StoredResponseHead) {
    this.variant = variant;
    this.bodyId = bodyId;
    this.bodySize = body.byteLength;
    this.head = head;
    this.key = key;
    this.body = body;
    this.size = body.byteLength + headSize(head);
  }
}

/**
 * What a primary key holds: its one stored response (the usual case, no
 * map), or a map by variant once responses for several Vary'd values are
 * stored (RFC 9111 §4.1).
 */
type Slot = MemoryEntry | Map<string, MemoryEntry>;

/**
 * An in-process store, least-recently-used first out, bounded by total bytes
 * and by entry size. A body is joined into one buffer when it is committed
 * (a hit then reads it in one chunk); a reader holds its own reference, so
 * eviction or replacement never truncates a body being read.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): CacheStore {
  const maxBytes = options.maxBytes ?? MEMORY_STORE_DEFAULTS.maxBytes;
  const maxEntryBytes = Math.min(options.maxEntryBytes ?? MEMORY_STORE_DEFAULTS.maxEntryBytes, maxBytes);
  const clock = options.clock ?? systemClock();
  // Entries by primary key, then variant: a lookup hashes the key once and builds no string.
  const byKey = new Map<string, Slot>();
  // Set iteration order is insertion order: re-adding an entry on use makes the first one the least recent.
  const recency = new Set<MemoryEntry>();
  let totalBytes = 0;
  let nextBodyId = 1;

  const find = (key: string, variant: string): MemoryEntry | undefined => {
    const slot = byKey.get(key);
    if (slot === undefined) return undefined;
    if (slot instanceof MemoryEntry) return slot.variant === variant ? slot : undefined;
    return slot.get(variant);
  };

  /** Puts `entry` in its key's slot, replacing the entry of the same variant (the caller has removed it). */
  const place = (entry: MemoryEntry) => {
    const slot = byKey.get(entry.key);
    if (slot === undefined) byKey.set(entry.key, entry);
    else if (slot instanceof MemoryEntry) {
      if (slot.variant === entry.variant) byKey.set(entry.key, entry);
      else
        byKey.set(
          entry.key,
          new Map([
            [slot.variant, slot],
            [entry.variant, entry],
          ]),
        );
    } else slot.set(entry.variant, entry);
    recency.add(entry);
    totalBytes += entry.size;
  };

  const remove = (entry: MemoryEntry) => {
    const slot = byKey.get(entry.key);
    if (slot === entry) byKey.delete(entry.key);
    else if (slot instanceof Map && slot.get(entry.variant) === entry) {
      slot.delete(entry.variant);
      if (slot.size === 0) byKey.delete(entry.key);
    } else return;
    recency.delete(entry);
    totalBytes -= entry.size;
  };

  const evictUntilFits = () => {
    for (const entry of recency) {
      if (totalBytes <= maxBytes) return;
      remove(entry);
    }
  };

  const isExpired = (head: StoredResponseHead) =>
    head.discardAfter !== null && head.discardAfter <= clock.now();

  /** Makes a written body visible, replacing the response stored for the same variant. */
  const commitEntry = (key: string, variant: string, head: StoredResponseHead, body: Uint8Array) => {
    const previous = find(key, variant);
    if (previous) remove(previous);
    place(new MemoryEntry(key, variant, String(nextBodyId++), body, head));
    evictUntilFits();
  };

  /** Adds `entry` to a listing and marks it used, or drops it when its time is up. */
  const listed = (entry: MemoryEntry, out: CacheEntry[]) => {
    if (isExpired(entry.head)) {
      remove(entry);
      return;
    }
    recency.delete(entry);
    recency.add(entry);
    out.push(entry);
  };

  return {
    async list(key) {
      const slot = byKey.get(key);
      if (slot === undefined) return [];
      const out: CacheEntry[] = [];
      if (slot instanceof MemoryEntry) {
        listed(slot, out);
        return out;
      }
      for (const entry of [...slot.values()]) listed(entry, out);
      return out;
    },

    async openBody(key, wanted): Promise<BodySource | null> {
      const entry = find(key, wanted.variant);
      if (!entry || entry.bodyId !== wanted.bodyId || isExpired(entry.head)) return null;
      return new StoredBodySource(entry.body);
    },

    async create(key, variant, head): Promise<CacheBodyWriter> {
      return new MemoryWriter(key, variant, head, maxEntryBytes - headSize(head), commitEntry);
    },

    async updateHead(key, wanted, head) {
      const entry = find(key, wanted.variant);
      if (!entry || entry.bodyId !== wanted.bodyId) return false;
      const updated = new MemoryEntry(entry.key, entry.variant, entry.bodyId, entry.body, head);
      // Swapped in where the old entry was: no key removed and added again.
      const slot = byKey.get(entry.key);
      if (slot === entry) byKey.set(entry.key, updated);
      else (slot as Map<string, MemoryEntry>).set(entry.variant, updated);
      recency.delete(entry);
      recency.add(updated);
      totalBytes += updated.size - entry.size;
      evictUntilFits();
      return true;
    },

    async delete(key) {
      const slot = byKey.get(key);
      if (slot === undefined) return;
      for (const entry of slot instanceof MemoryEntry ? [slot] : [...slot.values()]) remove(entry);
    },

    async close() {
      byKey.clear();
      recency.clear();
      totalBytes = 0;
    },
  };
}

/**
 * Collects a body as it streams in; nothing is visible before `commit()`.
 * A class, not an object of closures: one is made for every response stored.
 */
class MemoryWriter implements CacheBodyWriter {
  readonly #key: string;
  readonly #variant: string;
  readonly #head: StoredResponseHead;
  /** Body bytes allowed: the entry limit less what the head is counted as. */
  readonly #limit: number;
  readonly #commit: (key: string, variant: string, head: StoredResponseHead, body: Uint8Array) => void;
  #chunks: Uint8Array[] = [];
  #bodySize = 0;
  #state: 'open' | 'committed' | 'aborted' = 'open';

  constructor(
    key: string,
    variant: string,
    head: StoredResponseHead,
    limit: number,
    commit: (key: string, variant: string, head: StoredResponseHead, body: Uint8Array) => void,
  ) {
    this.#key = key;
    this.#variant = variant;
    this.#head = head;
    this.#limit = limit;
    this.#commit = commit;
  }

  async write(chunk: Uint8Array): Promise<boolean> {
    if (this.#state !== 'open') return false;
    this.#bodySize += chunk.byteLength;
    if (this.#bodySize > this.#limit) {
      this.#state = 'aborted';
      this.#chunks = [];
      return false;
    }
    // Copied into a buffer of its own size: the producer may reuse its buffer once the chunk is handed
    // on, and a view (Buffer#slice is one) would keep the whole socket read it came from alive.
    this.#chunks.push(new Uint8Array(chunk));
    return true;
  }

  async commit(): Promise<void> {
    if (this.#state !== 'open') return;
    this.#state = 'committed';
    const body = joined(this.#chunks, this.#bodySize);
    this.#chunks = [];
    this.#commit(this.#key, this.#variant, this.#head, body);
  }

  async abort(): Promise<void> {
    // After a commit the chunks belong to the stored entry: an abort then changes nothing.
    if (this.#state !== 'open') return;
    this.#state = 'aborted';
    this.#chunks = [];
  }
}

/** An estimate of what a head costs in memory: its strings plus a fixed overhead. */
function headSize(head: StoredResponseHead): number {
  let size = 256 + head.url.length + head.reason.length;
  // Indexed loops: destructuring iterates, and this runs on every write and head update.
  const fields = head.fields;
  for (let index = 0; index < fields.length; index++) size += (fields[index] as string).length + 8;
  const varyValues = head.varyValues;
  for (let index = 0; index < varyValues.length; index++) {
    const field = varyValues[index] as readonly [string, string | null];
    size += field[0].length + (field[1]?.length ?? 0) + 16;
  }
  return size;
}

/** The chunks of a body as one buffer; a single chunk (already a private copy) is kept as it is. */
function joined(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

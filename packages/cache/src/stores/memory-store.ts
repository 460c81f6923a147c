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

interface MemoryEntry {
  readonly key: string;
  readonly variant: string;
  readonly bodyId: string;
  /** The whole body in one buffer, joined at commit, so a hit hands it over in one read. */
  readonly body: Uint8Array;
  readonly bodySize: number;
  /** The public view list() returns, made once per entry and head rather than per lookup. */
  listed: CacheEntry;
  head: StoredResponseHead;
  size: number;
}

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
  const byKey = new Map<string, Map<string, MemoryEntry>>();
  // Set iteration order is insertion order: re-adding an entry on use makes the first one the least recent.
  const recency = new Set<MemoryEntry>();
  let totalBytes = 0;
  let nextBodyId = 1;

  const find = (key: string, variant: string) => byKey.get(key)?.get(variant);

  const remove = (entry: MemoryEntry) => {
    const variants = byKey.get(entry.key);
    if (variants?.get(entry.variant) !== entry) return;
    variants.delete(entry.variant);
    if (variants.size === 0) byKey.delete(entry.key);
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

  return {
    async list(key) {
      const out: CacheEntry[] = [];
      const variants = byKey.get(key);
      if (variants === undefined) return out;
      for (const entry of variants.values()) {
        if (isExpired(entry.head)) {
          remove(entry);
          continue;
        }
        recency.delete(entry);
        recency.add(entry);
        out.push(entry.listed);
      }
      return out;
    },

    async openBody(key, wanted): Promise<BodySource | null> {
      const entry = find(key, wanted.variant);
      if (!entry || entry.bodyId !== wanted.bodyId || isExpired(entry.head)) return null;
      return new StoredBodySource(entry.body);
    },

    async create(key, variant, head): Promise<CacheBodyWriter> {
      const chunks: Uint8Array[] = [];
      let bodySize = 0;
      let state: 'open' | 'committed' | 'aborted' = 'open';
      return {
        async write(chunk) {
          if (state !== 'open') return false;
          bodySize += chunk.byteLength;
          if (bodySize + headSize(head) > maxEntryBytes) {
            state = 'aborted';
            chunks.length = 0;
            return false;
          }
          // Copied: the producer may reuse its buffer once the chunk is handed on.
          chunks.push(chunk.slice());
          return true;
        },
        async commit() {
          if (state !== 'open') return;
          state = 'committed';
          const previous = find(key, variant);
          if (previous) remove(previous);
          const bodyId = String(nextBodyId++);
          const entry: MemoryEntry = {
            key,
            variant,
            bodyId,
            body: joined(chunks, bodySize),
            bodySize,
            head,
            size: bodySize + headSize(head),
            listed: { variant, bodyId, bodySize, head },
          };
          chunks.length = 0;
          let variants = byKey.get(key);
          if (!variants) {
            variants = new Map();
            byKey.set(key, variants);
          }
          variants.set(variant, entry);
          recency.add(entry);
          totalBytes += entry.size;
          evictUntilFits();
        },
        async abort() {
          // After a commit the chunks belong to the stored entry: an abort then changes nothing.
          if (state !== 'open') return;
          state = 'aborted';
          chunks.length = 0;
        },
      };
    },

    async updateHead(key, wanted, head) {
      const entry = find(key, wanted.variant);
      if (!entry || entry.bodyId !== wanted.bodyId) return false;
      const size = entry.bodySize + headSize(head);
      totalBytes += size - entry.size;
      entry.size = size;
      entry.head = head;
      entry.listed = { variant: entry.variant, bodyId: entry.bodyId, bodySize: entry.bodySize, head };
      evictUntilFits();
      return true;
    },

    async delete(key) {
      for (const entry of [...(byKey.get(key)?.values() ?? [])]) remove(entry);
    },

    async close() {
      byKey.clear();
      recency.clear();
      totalBytes = 0;
    },
  };
}

/** An estimate of what a head costs in memory: its strings plus a fixed overhead. */
function headSize(head: StoredResponseHead): number {
  let size = 256 + head.url.length + head.reason.length;
  for (const [name, value] of head.headers) size += name.length + value.length + 16;
  for (const [name, value] of head.varyValues) size += name.length + (value?.length ?? 0) + 16;
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

import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, systemClock } from '@x/core';
import type { CacheBodyWriter, CacheEntry, CacheStore, StoredResponseHead } from '../cache-store.js';
import { decodeEntry, type EncodedEntry, encodeEntry } from './entry-codec.js';
import { fileSource } from './fs-body-source.js';
import { sha256, syncDirectory, writeAtomically } from './fs-files.js';
import { recoverDirectory } from './fs-recovery.js';
import { createFsUsage } from './fs-usage.js';

export interface FsStoreOptions {
  /** The directory holding the cache; created when missing. One store per directory. */
  directory: string;
  /**
   * Upper bound on the bytes the cache keeps on disk (bodies plus head files); past it the least
   * recently used entries are deleted. Default 1 GiB.
   */
  maxBytes?: number | undefined;
  /** Largest body kept; a bigger one is abandoned while it streams. Default 64 MiB (at most `maxBytes`). */
  maxEntryBytes?: number | undefined;
  /** Used to honour `discardAfter`. Default `systemClock()`. */
  clock?: Clock | undefined;
  /** Bytes read from disk at a time when serving a body. Default 64 KiB. */
  readChunkBytes?: number | undefined;
}

export const FS_STORE_DEFAULTS = Object.freeze({
  maxBytes: 1024 * 1024 * 1024,
  maxEntryBytes: 64 * 1024 * 1024,
  readChunkBytes: 64 * 1024,
});

/**
 * A store on the local file system that survives restarts.
 *
 * Layout: one folder per primary key (its SHA-256), holding for each variant
 * a `<variant>.head` JSON file and the `<variant>.<bodyId>.body` it names.
 * Crash safety comes from never writing in place: a body streams into a
 * temporary file, is fsynced and renamed to its final name, and only then is
 * the head written the same way (temp, fsync, rename over the old head). A
 * crash at any point leaves either the old entry or the new one; a body
 * whose size disagrees with its head is treated as absent, never served.
 * Replacing a head unlinks the old body; a reader that already started
 * keeps reading (POSIX unlink semantics), one that had not fails cleanly.
 *
 * Upkeep: when the store opens it removes what a crash left behind
 * (`fs-recovery.ts`) and loads every surviving entry's size; after each
 * commit, the least recently used entries (served or written; after a
 * restart, by when they were written) are deleted until the total fits
 * `maxBytes`. Every operation waits for that first sweep.
 */
export function createFsStore(options: FsStoreOptions): CacheStore {
  const root = options.directory;
  const maxBytes = options.maxBytes ?? FS_STORE_DEFAULTS.maxBytes;
  const maxEntryBytes = Math.min(options.maxEntryBytes ?? FS_STORE_DEFAULTS.maxEntryBytes, maxBytes);
  const readChunkBytes = options.readChunkBytes ?? FS_STORE_DEFAULTS.readChunkBytes;
  const clock = options.clock ?? systemClock();
  const openWriters = new Set<{ abort(): Promise<void> }>();
  const usage = createFsUsage(maxBytes);
  const ready: Promise<void> = recoverDirectory(root, clock.now()).then(
    (entries) => {
      for (const entry of entries) usage.add(entry);
    },
    () => undefined,
  );

  const folderOf = (key: string) => join(root, sha256(key));
  const headPath = (key: string, variant: string) => join(folderOf(key), `${sha256(variant)}.head`);
  const bodyPath = (key: string, variant: string, bodyId: string) =>
    join(folderOf(key), `${sha256(variant)}.${bodyId}.body`);

  const readHead = async (path: string, key: string): Promise<EncodedEntry | null> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return null;
    }
    const entry = decodeEntry(text);
    if (entry === null || entry.key !== key || !/^[0-9a-f-]{36}$/.test(entry.bodyId)) return null;
    return entry;
  };

  const isExpired = (head: StoredResponseHead) =>
    head.discardAfter !== null && head.discardAfter <= clock.now();

  const removeEntry = async (entry: { key: string; variant: string; bodyId: string }) => {
    usage.remove(entry.key, entry.variant, entry.bodyId);
    // The head may name a newer body by now (a commit raced the eviction): then only the old body goes.
    const current = await readHead(headPath(entry.key, entry.variant), entry.key);
    if (current === null || current.bodyId === entry.bodyId) {
      await unlink(headPath(entry.key, entry.variant)).catch(() => undefined);
    }
    await unlink(bodyPath(entry.key, entry.variant, entry.bodyId)).catch(() => undefined);
  };

  const evict = async () => {
    for (const victim of usage.evictions()) await removeEntry(victim);
  };

  return {
    async list(key) {
      await ready;
      const names = await readdir(folderOf(key)).catch((): string[] => []);
      const out: CacheEntry[] = [];
      for (const name of names) {
        if (!name.endsWith('.head')) continue;
        const entry = await readHead(join(folderOf(key), name), key);
        if (entry === null) continue;
        if (isExpired(entry.head)) {
          await removeEntry(entry);
          continue;
        }
        out.push(publicEntry(entry));
      }
      return out;
    },

    async openBody(key, wanted) {
      await ready;
      const path = bodyPath(key, wanted.variant, wanted.bodyId);
      const stats = await stat(path).catch(() => null);
      if (stats === null || stats.size !== wanted.bodySize) return null;
      usage.touch(key, wanted.variant);
      return fileSource(path, wanted.bodySize, readChunkBytes);
    },

    async create(key, variant, head) {
      await ready;
      await mkdir(folderOf(key), { recursive: true });
      const bodyId = randomUUID();
      const temporary = join(folderOf(key), `.${bodyId}.tmp`);
      const handle = await open(temporary, 'wx');
      let size = 0;
      let state: 'open' | 'committed' | 'aborted' = 'open';
      const writer: CacheBodyWriter = {
        async write(chunk) {
          if (state !== 'open') return false;
          size += chunk.byteLength;
          if (size > maxEntryBytes) {
            await writer.abort();
            return false;
          }
          let offset = 0;
          while (offset < chunk.byteLength) {
            const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
            offset += bytesWritten;
          }
          return true;
        },
        async commit() {
          if (state !== 'open') return;
          state = 'committed';
          openWriters.delete(writer);
          const encoded = encodeEntry({ key, variant, bodyId, bodySize: size, head });
          try {
            await handle.sync();
            await handle.close();
            const previous = await readHead(headPath(key, variant), key);
            await rename(temporary, bodyPath(key, variant, bodyId));
            await writeAtomically(headPath(key, variant), encoded);
            await syncDirectory(folderOf(key));
            if (previous !== null && previous.bodyId !== bodyId) {
              await unlink(bodyPath(key, variant, previous.bodyId)).catch(() => undefined);
            }
          } catch (error) {
            await handle.close().catch(() => undefined);
            await unlink(temporary).catch(() => undefined);
            throw error;
          }
          usage.add({ key, variant, bodyId, bytes: size + Buffer.byteLength(encoded) });
          await evict();
        },
        async abort() {
          if (state !== 'open') return;
          state = 'aborted';
          openWriters.delete(writer);
          await handle.close().catch(() => undefined);
          await unlink(temporary).catch(() => undefined);
        },
      };
      openWriters.add(writer);
      return writer;
    },

    async updateHead(key, wanted, head) {
      await ready;
      const current = await readHead(headPath(key, wanted.variant), key);
      if (current === null || current.bodyId !== wanted.bodyId) return false;
      const encoded = encodeEntry({ ...current, head });
      await writeAtomically(headPath(key, wanted.variant), encoded);
      const bytes = current.bodySize + Buffer.byteLength(encoded);
      usage.add({ key, variant: wanted.variant, bodyId: wanted.bodyId, bytes });
      return true;
    },

    async delete(key) {
      await ready;
      usage.removeKey(key);
      await rm(folderOf(key), { recursive: true, force: true });
    },

    async close() {
      await ready;
      await Promise.all([...openWriters].map((writer) => writer.abort()));
    },
  };
}

function publicEntry(entry: EncodedEntry): CacheEntry {
  return { variant: entry.variant, bodyId: entry.bodyId, bodySize: entry.bodySize, head: entry.head };
}

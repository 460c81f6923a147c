import { createHash, randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type BodySource, type Clock, HttpClientError, systemClock } from '@x/core';
import type { CacheBodyWriter, CacheEntry, CacheStore, StoredResponseHead } from '../cache-store.js';
import { decodeEntry, type EncodedEntry, encodeEntry } from './entry-codec.js';

export interface FsStoreOptions {
  /** The directory holding the cache; created when missing. One store per directory. */
  directory: string;
  /** Largest body kept; a bigger one is abandoned while it streams. Default 64 MiB. */
  maxEntryBytes?: number | undefined;
  /** Used to honour `discardAfter`. Default `systemClock()`. */
  clock?: Clock | undefined;
  /** Bytes read from disk at a time when serving a body. Default 64 KiB. */
  readChunkBytes?: number | undefined;
}

export const FS_STORE_DEFAULTS = Object.freeze({
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
 */
export function createFsStore(options: FsStoreOptions): CacheStore {
  const root = options.directory;
  const maxEntryBytes = options.maxEntryBytes ?? FS_STORE_DEFAULTS.maxEntryBytes;
  const readChunkBytes = options.readChunkBytes ?? FS_STORE_DEFAULTS.readChunkBytes;
  const clock = options.clock ?? systemClock();
  const openWriters = new Set<{ abort(): Promise<void> }>();

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

  const removeEntry = async (entry: EncodedEntry) => {
    await unlink(headPath(entry.key, entry.variant)).catch(() => undefined);
    await unlink(bodyPath(entry.key, entry.variant, entry.bodyId)).catch(() => undefined);
  };

  return {
    async list(key) {
      let names: string[];
      try {
        names = await readdir(folderOf(key));
      } catch {
        return [];
      }
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
      const path = bodyPath(key, wanted.variant, wanted.bodyId);
      const stats = await stat(path).catch(() => null);
      if (stats === null || stats.size !== wanted.bodySize) return null;
      return fileSource(path, wanted.bodySize, readChunkBytes);
    },

    async create(key, variant, head) {
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
          try {
            await handle.sync();
            await handle.close();
            const previous = await readHead(headPath(key, variant), key);
            await rename(temporary, bodyPath(key, variant, bodyId));
            await writeAtomically(
              headPath(key, variant),
              encodeEntry({ key, variant, bodyId, bodySize: size, head }),
            );
            await syncDirectory(folderOf(key));
            if (previous !== null && previous.bodyId !== bodyId) {
              await unlink(bodyPath(key, variant, previous.bodyId)).catch(() => undefined);
            }
          } catch (error) {
            await handle.close().catch(() => undefined);
            await unlink(temporary).catch(() => undefined);
            throw error;
          }
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
      const current = await readHead(headPath(key, wanted.variant), key);
      if (current === null || current.bodyId !== wanted.bodyId) return false;
      await writeAtomically(headPath(key, wanted.variant), encodeEntry({ ...current, head }));
      return true;
    },

    async delete(key) {
      await rm(folderOf(key), { recursive: true, force: true });
    },

    async close() {
      await Promise.all([...openWriters].map((writer) => writer.abort()));
    },
  };
}

function publicEntry(entry: EncodedEntry): CacheEntry {
  return { variant: entry.variant, bodyId: entry.bodyId, bodySize: entry.bodySize, head: entry.head };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Temp file, fsync, rename: the file at `path` is always either the old or the new content. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  const handle = await open(temporary, 'wx');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Makes renames in `directory` durable; some platforms refuse to open a directory, which is harmless. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // Best effort: the rename itself is atomic either way.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Reads a body file in chunks. The file is opened on the first read, so a
 * response whose body is never read holds no file descriptor; a file that
 * vanished by then, or ends early, is an error, never a short body.
 */
function fileSource(path: string, size: number, chunkBytes: number): BodySource {
  let handle: FileHandle | undefined;
  let position = 0;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    handle?.close().catch(() => undefined);
  };
  const failure = (message: string, cause?: unknown) => {
    close();
    return new HttpClientError('CONNECTION_CLOSED', message, {
      cause,
      details: { expected: size, read: position },
    });
  };
  return {
    async read() {
      if (closed) {
        if (position >= size) return null;
        throw new HttpClientError('ABORTED', 'The cached body was cancelled', { requestSent: false });
      }
      if (position >= size) {
        close();
        return null;
      }
      if (handle === undefined) {
        try {
          handle = await open(path, 'r');
        } catch (cause) {
          throw failure('The cached body file is gone', cause);
        }
        if (closed) {
          // Cancelled while the file was opening.
          await handle.close().catch(() => undefined);
          throw new HttpClientError('ABORTED', 'The cached body was cancelled', { requestSent: false });
        }
      }
      const buffer = new Uint8Array(Math.min(chunkBytes, size - position));
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, buffer.byteLength, position));
      } catch (cause) {
        throw failure('Reading the cached body failed', cause);
      }
      if (bytesRead === 0) throw failure('The cached body file ended early');
      position += bytesRead;
      return bytesRead === buffer.byteLength ? buffer : buffer.subarray(0, bytesRead);
    },
    cancel() {
      close();
    },
  };
}

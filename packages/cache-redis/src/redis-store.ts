import { createHash, randomUUID } from 'node:crypto';
import type { CacheBodyWriter, CacheEntry, CacheStore, EncodedEntry, StoredResponseHead } from '@x/cache';
import { decodeEntry, encodeEntry } from '@x/cache';
import { type Clock, HttpClientError, redactUrl, systemClock } from '@x/core';
import { createClient } from 'redis';
import { rangeSource } from './redis-body-source.js';
import { COMMIT_SCRIPT, UPDATE_HEAD_SCRIPT } from './redis-scripts.js';

/**
 * The part of a node-redis client this store uses: raw commands. Any
 * `createClient()` result (connected) fits; so does a test double.
 */
export interface RedisCommandClient {
  sendCommand(
    args: ReadonlyArray<string | Buffer>,
    options?: { typeMapping?: object; timeout?: number },
  ): Promise<unknown>;
}

export interface RedisStoreOptions {
  /** A connected node-redis client. The store never closes it. Give this or `url`. */
  client?: RedisCommandClient | undefined;
  /** `redis://host:port/db` to connect to; the store owns that connection and closes it on `close()`. */
  url?: string | undefined;
  /** Prefix of every key the store writes. Default `x-cache:`. */
  prefix?: string | undefined;
  /** Largest body kept; a bigger one is abandoned while it streams. Default 8 MiB. */
  maxEntryBytes?: number | undefined;
  /**
   * Bytes gathered before one APPEND while a body is written: small network chunks cost one
   * round trip per batch, not per chunk. Memory per write in progress is at most this plus one
   * chunk. Default 64 KiB.
   */
  writeBatchBytes?: number | undefined;
  /** Bytes fetched per GETRANGE when serving a body. Default 256 KiB. */
  readChunkBytes?: number | undefined;
  /** How long a replaced or deleted body stays readable for readers that already opened it, ms. Default 60 s. */
  replacedBodyGraceMs?: number | undefined;
  /** How long an unfinished write may sit before Redis drops it (a writer that crashed), ms. Default 10 min. */
  pendingWriteTtlMs?: number | undefined;
  /** Longest wait for one Redis command before it fails (the layer then treats it as a miss), ms. Default 2 s. */
  commandTimeoutMs?: number | undefined;
  /** Longest wait for the connection `url` opens, ms. Default 5 s. */
  connectTimeoutMs?: number | undefined;
  /** Turns `discardAfter` into Redis TTLs and filters what is read. Default `systemClock()`. */
  clock?: Clock | undefined;
}

export const REDIS_STORE_DEFAULTS = Object.freeze({
  prefix: 'x-cache:',
  maxEntryBytes: 8 * 1024 * 1024,
  readChunkBytes: 256 * 1024,
  writeBatchBytes: 64 * 1024,
  replacedBodyGraceMs: 60_000,
  pendingWriteTtlMs: 10 * 60_000,
  commandTimeoutMs: 2_000,
  connectTimeoutMs: 5_000,
});

/**
 * A CacheStore in Redis, so several processes and machines share one cache.
 *
 * Keys, all under `prefix` and a `{hash}` tag of the primary key (so a
 * Redis Cluster keeps one URL's keys in one slot):
 * - `{h}:index`: set of variant hashes;
 * - `{h}:head:<variant hash>`: the JSON head (naming its body id);
 * - `{h}:body:<body id>`: the body bytes, immutable once committed;
 * - `{h}:pending:<body id>`: a body being written (APPEND per chunk, with a TTL).
 * Every committed key expires at the entry's `discardAfter` (Redis TTL), so
 * the server forgets dead entries by itself.
 */
export async function createRedisStore(options: RedisStoreOptions): Promise<CacheStore> {
  const prefix = options.prefix ?? REDIS_STORE_DEFAULTS.prefix;
  const maxEntryBytes = options.maxEntryBytes ?? REDIS_STORE_DEFAULTS.maxEntryBytes;
  const readChunkBytes = options.readChunkBytes ?? REDIS_STORE_DEFAULTS.readChunkBytes;
  const writeBatchBytes = options.writeBatchBytes ?? REDIS_STORE_DEFAULTS.writeBatchBytes;
  const graceMs = options.replacedBodyGraceMs ?? REDIS_STORE_DEFAULTS.replacedBodyGraceMs;
  const pendingTtlMs = options.pendingWriteTtlMs ?? REDIS_STORE_DEFAULTS.pendingWriteTtlMs;
  const clock = options.clock ?? systemClock();

  // Only what closing needs: node-redis's generic client types do not survive widening.
  let owned: { readonly isOpen: boolean; close(): Promise<void>; destroy(): void } | undefined;
  let client: RedisCommandClient;
  if (options.client !== undefined) {
    client = options.client;
  } else if (options.url !== undefined) {
    let connectedOnce = false;
    const connection = createClient({
      url: options.url,
      // While Redis is away, commands fail at once (the layer then goes to the origin) instead of queueing.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: options.connectTimeoutMs ?? REDIS_STORE_DEFAULTS.connectTimeoutMs,
        // The first connection fails fast; a connection lost later is retried with a capped backoff.
        reconnectStrategy: (retries: number, cause: Error) =>
          connectedOnce ? Math.min(50 * 2 ** retries, 2000) : cause,
      },
    });
    // Connection errors surface on the commands that fail; without a listener they would crash the process.
    connection.on('error', () => undefined);
    try {
      await connection.connect();
    } catch (cause) {
      connection.destroy();
      throw new HttpClientError('CONNECT_FAILED', `Cannot connect to Redis at ${redactUrl(options.url)}`, {
        requestSent: false,
        cause,
      });
    }
    connectedOnce = true;
    owned = connection;
    client = connection as unknown as RedisCommandClient;
  } else {
    throw new HttpClientError('INVALID_REQUEST', 'createRedisStore needs a client or a url', {
      requestSent: false,
    });
  }

  const keysOf = (key: string) => {
    const base = `${prefix}{${sha256(key)}}:`;
    return {
      index: `${base}index`,
      head: (variantHash: string) => `${base}head:${variantHash}`,
      body: (bodyId: string) => `${base}body:${bodyId}`,
      pending: (bodyId: string) => `${base}pending:${bodyId}`,
      bodyPrefix: `${base}body:`,
    };
  };

  const timeout = options.commandTimeoutMs ?? REDIS_STORE_DEFAULTS.commandTimeoutMs;
  const send = (args: ReadonlyArray<string | Buffer>) => client.sendCommand(args, { timeout });
  const ttlFor = (head: StoredResponseHead): number =>
    head.discardAfter === null ? 0 : Math.max(1, Math.ceil(head.discardAfter - clock.now()));
  const isExpired = (head: StoredResponseHead) =>
    head.discardAfter !== null && head.discardAfter <= clock.now();
  const pendingWriters = new Set<CacheBodyWriter>();

  return {
    async list(key) {
      const keys = keysOf(key);
      const variants = asStrings(await send(['SMEMBERS', keys.index]));
      if (variants.length === 0) return [];
      const heads = await send(['MGET', ...variants.map((variant) => keys.head(variant))]);
      const out: CacheEntry[] = [];
      const gone: string[] = [];
      (Array.isArray(heads) ? heads : []).forEach((text, index) => {
        const entry = typeof text === 'string' ? decodeEntry(text) : null;
        if (entry === null || entry.key !== key) {
          if (text === null) gone.push(variants[index] as string);
          return;
        }
        if (!isExpired(entry.head)) out.push(publicEntry(entry));
      });
      if (gone.length > 0) await send(['SREM', keys.index, ...gone]);
      return out;
    },

    async openBody(key, entry) {
      const keys = keysOf(key);
      const bodyKey = keys.body(entry.bodyId);
      // A replaced body stays readable for a grace period (for readers that already started), but is not opened anew.
      const current = await send(['GET', keys.head(sha256(entry.variant))]);
      const stored = typeof current === 'string' ? decodeEntry(current) : null;
      if (stored === null || stored.bodyId !== entry.bodyId || isExpired(stored.head)) return null;
      const length = Number(await send(['STRLEN', bodyKey]));
      if (length !== entry.bodySize || (length === 0 && Number(await send(['EXISTS', bodyKey])) === 0))
        return null;
      return rangeSource(client, bodyKey, entry.bodySize, readChunkBytes, timeout);
    },

    async create(key, variant, head) {
      const keys = keysOf(key);
      const bodyId = randomUUID();
      const pending = keys.pending(bodyId);
      await send(['SET', pending, '', 'PX', String(pendingTtlMs)]);
      let size = 0;
      let state: 'open' | 'committed' | 'aborted' = 'open';
      // Chunks not yet appended. Copied: the caller may reuse its buffer once write() resolves.
      let batch: Buffer[] = [];
      let batchBytes = 0;
      const flush = async () => {
        if (batchBytes === 0) return;
        const bytes = batch.length === 1 ? (batch[0] as Buffer) : Buffer.concat(batch, batchBytes);
        batch = [];
        batchBytes = 0;
        await send(['APPEND', pending, bytes]);
      };
      const writer: CacheBodyWriter = {
        async write(chunk) {
          if (state !== 'open') return false;
          size += chunk.byteLength;
          if (size > maxEntryBytes) {
            await writer.abort();
            return false;
          }
          batch.push(Buffer.from(chunk));
          batchBytes += chunk.byteLength;
          if (batchBytes >= writeBatchBytes) await flush();
          return true;
        },
        async commit() {
          if (state !== 'open') return;
          state = 'committed';
          pendingWriters.delete(writer);
          await flush();
          const variantHash = sha256(variant);
          const encoded = encodeEntry({ key, variant, bodyId, bodySize: size, head });
          const ttl = ttlFor(head);
          if (head.discardAfter !== null && head.discardAfter <= clock.now()) {
            await send(['DEL', pending]);
            return;
          }
          await send([
            'EVAL',
            COMMIT_SCRIPT,
            '4',
            pending,
            keys.body(bodyId),
            keys.head(variantHash),
            keys.index,
            encoded,
            variantHash,
            String(ttl),
            String(graceMs),
            keys.bodyPrefix,
          ]);
        },
        async abort() {
          if (state !== 'open') return;
          state = 'aborted';
          pendingWriters.delete(writer);
          batch = [];
          batchBytes = 0;
          await send(['DEL', pending]).catch(() => undefined);
        },
      };
      pendingWriters.add(writer);
      return writer;
    },

    async updateHead(key, entry, head) {
      const keys = keysOf(key);
      const encoded = encodeEntry({
        key,
        variant: entry.variant,
        bodyId: entry.bodyId,
        bodySize: entry.bodySize,
        head,
      });
      const result = await send([
        'EVAL',
        UPDATE_HEAD_SCRIPT,
        '3',
        keys.head(sha256(entry.variant)),
        keys.body(entry.bodyId),
        keys.index,
        entry.bodyId,
        encoded,
        String(ttlFor(head)),
      ]);
      return Number(result) === 1;
    },

    async delete(key) {
      const keys = keysOf(key);
      const variants = asStrings(await send(['SMEMBERS', keys.index]));
      const headKeys = variants.map((variant) => keys.head(variant));
      if (headKeys.length > 0) {
        const heads = await send(['MGET', ...headKeys]);
        for (const text of Array.isArray(heads) ? heads : []) {
          const entry = typeof text === 'string' ? decodeEntry(text) : null;
          // A grace TTL rather than DEL: a reader elsewhere may be streaming this body right now.
          if (entry !== null) await send(['PEXPIRE', keys.body(entry.bodyId), String(graceMs)]);
        }
        await send(['DEL', ...headKeys]);
      }
      await send(['DEL', keys.index]);
    },

    async close() {
      await Promise.all([...pendingWriters].map((writer) => writer.abort()));
      if (owned !== undefined) {
        const connection = owned;
        owned = undefined;
        if (connection.isOpen) await connection.close().catch(() => connection.destroy());
        else connection.destroy();
      }
    },
  };
}

function publicEntry(entry: EncodedEntry): CacheEntry {
  return { variant: entry.variant, bodyId: entry.bodyId, bodySize: entry.bodySize, head: entry.head };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function asStrings(reply: unknown): string[] {
  return Array.isArray(reply) ? reply.filter((item): item is string => typeof item === 'string') : [];
}

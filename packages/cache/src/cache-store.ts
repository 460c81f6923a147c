import type { BodySource } from '@x/core';

/**
 * The storage seam of `@x/cache`. A store keeps response heads and streamed
 * bodies; every HTTP decision (what to store, what is fresh, which variant
 * matches) is made by the layer, so a store is small and easy to replace.
 *
 * Addressing follows RFC 9111 §2 and §4.1:
 * - `key` is the primary cache key (scope + method + target URI), built by
 *   the layer (`primaryKey()`); stores treat it as an opaque string.
 * - `variant` names one stored response under that key: the request header
 *   values its `Vary` selected (`variantKey()`). Writing the same variant
 *   again replaces the previous response.
 *
 * A store must:
 * - never expose a body that was not written completely (`commit()` is the
 *   only way an entry becomes visible, and a torn write is never served);
 * - let a reader finish a body it opened even if the entry is replaced or
 *   deleted meanwhile, or fail that read, never return a shorter body;
 * - replace a head (`updateHead`) without rewriting the body (RFC 9111
 *   §4.3.4: a 304 freshens the stored response);
 * - forget entries whose `head.discardAfter` has passed (by its clock);
 * - reject only with errors; the layer treats any store failure as a miss.
 */
export interface CacheStore {
  /** Every stored response under `key` (heads only), in no particular order. */
  list(key: string): Promise<CacheEntry[]>;
  /** The body of `entry`, or null when that exact body is no longer stored. */
  openBody(key: string, entry: CacheEntry): Promise<BodySource | null>;
  /**
   * Starts writing a response. Nothing is visible until `commit()`; the
   * writer can refuse a body that grows past the store's entry limit.
   */
  create(key: string, variant: string, head: StoredResponseHead): Promise<CacheBodyWriter>;
  /** Replaces the head of `entry` if its body is still the stored one; false otherwise. */
  updateHead(key: string, entry: CacheEntry, head: StoredResponseHead): Promise<boolean>;
  /** Removes every variant stored under `key` (invalidation, RFC 9111 §4.4). */
  delete(key: string): Promise<void>;
  /** Frees the store's resources (connections, handles). Idempotent. */
  close(): Promise<void>;
}

/** One stored response, as `list` returns it. */
export interface CacheEntry {
  readonly variant: string;
  /** Identifies the stored body: a head update or a read targets exactly this body. */
  readonly bodyId: string;
  readonly bodySize: number;
  readonly head: StoredResponseHead;
}

/** Everything about a stored response except its body; plain JSON-safe data. */
export interface StoredResponseHead {
  readonly status: number;
  readonly reason: string;
  readonly httpVersion: '1.0' | '1.1';
  /**
   * Response header fields in wire order, hop-by-hop fields removed (RFC 9111
   * §3.1), as flat lines `[name, value, name, value, ...]` (the form
   * `HeaderList.toRaw()` gives): one array per head rather than one per
   * field, since a small stored response is mostly its fields.
   */
  readonly fields: readonly string[];
  /** The URL the response is for. */
  readonly url: string;
  /**
   * The request header values the response's `Vary` names, lower-cased name
   * and combined value (null when the request lacked it): RFC 9111 §4.1.
   */
  readonly varyValues: ReadonlyArray<readonly [string, string | null]>;
  /** Wall-clock ms when the request that produced the response was sent (RFC 9111 §4.2.3 request_time). */
  readonly requestTime: number;
  /** Wall-clock ms when the response was received (§4.2.3 response_time). */
  readonly responseTime: number;
  /** Wall-clock ms after which the response is of no use and the store may drop it; null for no limit. */
  readonly discardAfter: number | null;
}

/** Receives a body as it streams from the network. */
export interface CacheBodyWriter {
  /**
   * Appends a chunk. Resolves false when the store gave up on this entry
   * (too large); the caller then calls `abort()` and stops writing.
   */
  write(chunk: Uint8Array): Promise<boolean>;
  /** Makes the entry visible atomically, replacing any previous response of the same variant. */
  commit(): Promise<void>;
  /** Drops everything written so far. Idempotent; safe after a failed write. */
  abort(): Promise<void>;
}

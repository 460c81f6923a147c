import type { Clock, ConnectTarget } from '@x/core';
import { systemClock } from '@x/core';
import type { CertificateSummary } from './certificate-summary.js';

/**
 * TLS sessions kept for resumption. A session goes in only after the
 * connection that produced it passed the whole verdict (chain, hostname,
 * pins), and the key names the policy as well as the origin: Node resumes a
 * session under any trust store and skips identity checks on resumption, so
 * the cache is what makes resumption as safe as a full handshake.
 */

export interface TlsSessionEntry {
  /** The serialized session (ticket) Node gave in its "session" event. */
  readonly session: Uint8Array;
  /** The verdict of the connection that stored it, reported again on resumption. */
  readonly chain: readonly CertificateSummary[];
  readonly matchedName: string | undefined;
  readonly matchedPin: string | undefined;
  /** Epoch ms when the first certificate of the chain expires: no resumption after it. */
  readonly expiresAt: number;
}

export interface TlsSessionCache {
  get(key: string): TlsSessionEntry | undefined;
  set(key: string, entry: TlsSessionEntry): void;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
}

export interface SessionCacheOptions {
  /** Most sessions kept; the least recently used goes first. Default 256. */
  readonly maxEntries?: number | undefined;
  /** A session older than this (ms) is not offered. Default 300 000 (Node's server ticket lifetime). */
  readonly maxAge?: number | undefined;
  readonly clock?: Clock | undefined;
}

interface Stored {
  readonly entry: TlsSessionEntry;
  readonly storedAt: number;
}

/** An in-memory LRU session cache; share one between connectors only if you mean to (keys keep policies apart). */
export function createSessionCache(options: SessionCacheOptions = {}): TlsSessionCache {
  const maxEntries = options.maxEntries ?? 256;
  const maxAge = options.maxAge ?? 300_000;
  const clock = options.clock ?? systemClock();
  const entries = new Map<string, Stored>();
  return {
    get(key) {
      const stored = entries.get(key);
      if (stored === undefined) return undefined;
      if (clock.monotonic() - stored.storedAt > maxAge || clock.now() >= stored.entry.expiresAt) {
        entries.delete(key);
        return undefined;
      }
      // Map order is insertion order: re-inserting marks it most recently used.
      entries.delete(key);
      entries.set(key, stored);
      return stored.entry;
    },
    set(key, entry) {
      entries.delete(key);
      entries.set(key, { entry, storedAt: clock.monotonic() });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
    },
    delete(key) {
      entries.delete(key);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}

/** The cache key: policy, then everything about the target that the session was verified for. */
export function sessionKey(policy: string, target: ConnectTarget, alpn: readonly string[]): string {
  return JSON.stringify([policy, target.host.toLowerCase(), target.port, target.servername ?? null, alpn]);
}

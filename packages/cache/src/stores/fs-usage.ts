/**
 * Least-recently-used accounting for the file-system store: which entries
 * exist, how many bytes each holds on disk (body plus head file), and in
 * what order they were last used. Pure bookkeeping, no I/O: the store
 * deletes the files of the victims it is handed.
 */

export interface UsageRecord {
  readonly key: string;
  readonly variant: string;
  readonly bodyId: string;
  readonly bytes: number;
}

export interface FsUsage {
  /** Records an entry as the most recently used, replacing the one of the same key and variant. */
  add(record: UsageRecord): void;
  /** Marks an entry as just used (a body was served). */
  touch(key: string, variant: string): void;
  /** Forgets an entry; with `bodyId`, only if it still names that body. */
  remove(key: string, variant: string, bodyId?: string): void;
  /** Forgets every variant of a key. */
  removeKey(key: string): void;
  /** Takes the least recently used entries out of the books until the total fits `maxBytes`. */
  evictions(): UsageRecord[];
  readonly totalBytes: number;
}

export function createFsUsage(maxBytes: number): FsUsage {
  // Map iteration order is insertion order: deleting and re-inserting on use keeps the least recent first.
  const records = new Map<string, UsageRecord>();
  const variantsByKey = new Map<string, Set<string>>();
  let totalBytes = 0;
  const slot = (key: string, variant: string) => `${key}\u0000${variant}`;

  const remove = (key: string, variant: string, bodyId?: string) => {
    const id = slot(key, variant);
    const record = records.get(id);
    if (record === undefined || (bodyId !== undefined && record.bodyId !== bodyId)) return;
    records.delete(id);
    totalBytes -= record.bytes;
    const variants = variantsByKey.get(key);
    variants?.delete(variant);
    if (variants?.size === 0) variantsByKey.delete(key);
  };

  return {
    add(record) {
      remove(record.key, record.variant);
      records.set(slot(record.key, record.variant), record);
      totalBytes += record.bytes;
      let variants = variantsByKey.get(record.key);
      if (variants === undefined) {
        variants = new Set();
        variantsByKey.set(record.key, variants);
      }
      variants.add(record.variant);
    },
    touch(key, variant) {
      const id = slot(key, variant);
      const record = records.get(id);
      if (record === undefined) return;
      records.delete(id);
      records.set(id, record);
    },
    remove,
    removeKey(key) {
      for (const variant of [...(variantsByKey.get(key) ?? [])]) remove(key, variant);
    },
    evictions() {
      const victims: UsageRecord[] = [];
      for (const record of records.values()) {
        if (totalBytes <= maxBytes) break;
        victims.push(record);
        remove(record.key, record.variant);
      }
      return victims;
    },
    get totalBytes() {
      return totalBytes;
    },
  };
}

export type { CacheBodyWriter, CacheEntry, CacheStore, StoredResponseHead } from './cache-store.js';
export { decodeEntry, type EncodedEntry, encodeEntry } from './stores/entry-codec.js';
export { createFsStore, FS_STORE_DEFAULTS, type FsStoreOptions } from './stores/fs-store.js';
export { createMemoryStore, MEMORY_STORE_DEFAULTS, type MemoryStoreOptions } from './stores/memory-store.js';

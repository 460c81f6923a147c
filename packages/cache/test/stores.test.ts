import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsStore, createMemoryStore } from '../src/index.js';
import { runCacheStoreContract } from './store-contract.js';

runCacheStoreContract('memory', async ({ clock, maxEntryBytes }) => ({
  store: createMemoryStore({ clock, maxEntryBytes }),
}));

runCacheStoreContract('file system', async ({ clock, maxEntryBytes }) => {
  const directory = await mkdtemp(join(tmpdir(), 'x-cache-contract-'));
  return {
    store: createFsStore({ directory, clock, maxEntryBytes, readChunkBytes: 8192 }),
    cleanup: () => rm(directory, { recursive: true, force: true }),
  };
});

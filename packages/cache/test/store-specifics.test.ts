import { mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '@x/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CacheStore, createFsStore, createMemoryStore, type StoredResponseHead } from '../src/index.js';

const head: StoredResponseHead = {
  status: 200,
  reason: 'OK',
  httpVersion: '1.1',
  fields: ['Cache-Control', 'max-age=60'],
  url: 'http://127.0.0.1/',
  varyValues: [],
  requestTime: 0,
  responseTime: 0,
  discardAfter: null,
};

async function put(store: CacheStore, key: string, body: string): Promise<void> {
  const writer = await store.create(key, 'v', head);
  await writer.write(new TextEncoder().encode(body));
  await writer.commit();
}

async function read(store: CacheStore, key: string): Promise<string | null> {
  const [entry] = await store.list(key);
  if (!entry) return null;
  const source = await store.openBody(key, entry);
  if (!source) return null;
  let text = '';
  for (let chunk = await source.read(); chunk; chunk = await source.read())
    text += new TextDecoder().decode(chunk);
  return text;
}

describe('memory store: one chunk per body', () => {
  it('hands a body written in several chunks back as one chunk, a copy of what was written', async () => {
    const store = createMemoryStore({ clock: createManualClock() });
    const writer = await store.create('k', 'v', head);
    const first = new TextEncoder().encode('hello ');
    await writer.write(first);
    await writer.write(new TextEncoder().encode('world'));
    await writer.commit();
    first.fill(0);
    const [entry] = await store.list('k');
    const source = await store.openBody('k', entry as NonNullable<typeof entry>);
    const chunk = await source?.read();
    expect(new TextDecoder().decode(chunk ?? undefined)).toBe('hello world');
    expect(await source?.read()).toBeNull();
    // Cancelling after the end was read changes nothing: the next read still ends cleanly.
    source?.cancel();
    expect(await source?.read()).toBeNull();
    await store.close();
  });

  it('ends an empty body at the first read', async () => {
    const store = createMemoryStore({ clock: createManualClock() });
    const writer = await store.create('k', 'v', head);
    await writer.commit();
    const [entry] = await store.list('k');
    const source = await store.openBody('k', entry as NonNullable<typeof entry>);
    expect(await source?.read()).toBeNull();
    await store.close();
  });
});

describe('memory store: LRU bounded by bytes', () => {
  it('evicts the least recently used entries once the total passes maxBytes', async () => {
    const store = createMemoryStore({ maxBytes: 3 * 1400, maxEntryBytes: 1400, clock: createManualClock() });
    const body = 'x'.repeat(1000);
    await put(store, 'a', body);
    await put(store, 'b', body);
    await put(store, 'c', body);
    expect(await read(store, 'a')).toBe(body); // a is now the most recently used
    await put(store, 'd', body);
    expect(await store.list('b')).toEqual([]);
    expect(await read(store, 'a')).toBe(body);
    expect(await read(store, 'c')).toBe(body);
    expect(await read(store, 'd')).toBe(body);
    await store.close();
  });

  it('counts heads against the entry limit', async () => {
    const store = createMemoryStore({ maxEntryBytes: 400 });
    const writer = await store.create('k', 'v', { ...head, fields: ['X-Big', 'y'.repeat(500)] });
    expect(await writer.write(new Uint8Array(1))).toBe(false);
    await store.close();
  });
});

describe('file-system store: survives restarts, never serves a torn write', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'x-cache-fs-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('serves what an earlier store instance wrote to the same directory', async () => {
    const first = createFsStore({ directory });
    await put(first, 'k', 'persisted');
    await first.close();
    const second = createFsStore({ directory });
    expect(await read(second, 'k')).toBe('persisted');
    await second.close();
  });

  it('leaves no visible entry and no stray file when a write is abandoned or the store closes mid-write', async () => {
    const store = createFsStore({ directory });
    const writer = await store.create('k', 'v', head);
    await writer.write(new TextEncoder().encode('half'));
    await store.close();
    const restarted = createFsStore({ directory });
    expect(await restarted.list('k')).toEqual([]);
    const [folder] = await readdir(directory);
    expect(await readdir(join(directory, folder ?? ''))).toEqual([]);
    await restarted.close();
  });

  it('treats a body shorter than its head says (a torn file) as absent', async () => {
    const store = createFsStore({ directory });
    await put(store, 'k', 'complete body');
    const [folder] = await readdir(directory);
    const files = await readdir(join(directory, folder ?? ''));
    const body = files.find((name) => name.endsWith('.body'));
    await truncate(join(directory, folder ?? '', body ?? ''), 4);
    const [entry] = await store.list('k');
    expect(entry).toBeDefined();
    expect(await store.openBody('k', entry as NonNullable<typeof entry>)).toBeNull();
    await store.close();
  });

  it('ignores a corrupt head file and leftover temporary files', async () => {
    const store = createFsStore({ directory });
    await put(store, 'k', 'good');
    const [folder] = await readdir(directory);
    const path = join(directory, folder ?? '');
    await writeFile(join(path, 'leftover.tmp'), 'junk');
    const headFile = (await readdir(path)).find((name) => name.endsWith('.head'));
    await writeFile(join(path, headFile ?? ''), '{"version":1,"key":"k","variant":');
    expect(await store.list('k')).toEqual([]);
    await store.close();
  });
});

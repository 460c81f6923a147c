import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CacheStore,
  createFsStore,
  encodeEntry,
  FS_STORE_DEFAULTS,
  type StoredResponseHead,
} from '../src/index.js';

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

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function put(store: CacheStore, key: string, body: string, responseTime = 0): Promise<void> {
  const writer = await store.create(key, 'v', { ...head, responseTime });
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

/** Every file under the directory, as `folder/name`, and their total size. */
async function files(directory: string): Promise<{ names: string[]; bytes: number }> {
  const names: string[] = [];
  let bytes = 0;
  for (const folder of await readdir(directory)) {
    const path = join(directory, folder);
    if (!(await stat(path)).isDirectory()) {
      names.push(folder);
      continue;
    }
    for (const name of await readdir(path)) {
      names.push(`${folder}/${name}`);
      bytes += (await stat(join(path, name))).size;
    }
  }
  return { names: names.sort(), bytes };
}

describe('file-system store upkeep', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'x-cache-upkeep-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('has a documented default total bound', () => {
    expect(FS_STORE_DEFAULTS.maxBytes).toBe(1024 * 1024 * 1024);
  });

  it('deletes the least recently used entries once the total passes maxBytes, files included', async () => {
    // A head file is about 300 bytes here; three 1000-byte entries fit in 4200, four do not.
    const store = createFsStore({ directory, maxBytes: 4200 });
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
    const onDisk = await files(directory);
    expect(onDisk.bytes).toBeLessThanOrEqual(4200);
    expect(onDisk.names.some((name) => name.startsWith(sha256('b')))).toBe(false);
    await store.close();
  });

  it('counts what an earlier instance left on disk against the bound after a restart', async () => {
    const first = createFsStore({ directory, maxBytes: 4200 });
    const body = 'y'.repeat(1000);
    // File times can be coarser than these writes are apart: the response time orders ties.
    await put(first, 'old', body, 1);
    await put(first, 'newer', body, 2);
    await put(first, 'newest', body, 3);
    await first.close();
    const second = createFsStore({ directory, maxBytes: 4200 });
    await put(second, 'fresh', body);
    expect(await second.list('old')).toEqual([]);
    expect(await read(second, 'newest')).toBe(body);
    expect(await read(second, 'fresh')).toBe(body);
    expect((await files(directory)).bytes).toBeLessThanOrEqual(4200);
    await second.close();
  });

  it('without a bound to pass, keeps everything (eviction is not expiry)', async () => {
    const store = createFsStore({ directory });
    for (const key of ['a', 'b', 'c', 'd']) await put(store, key, 'z'.repeat(1000));
    for (const key of ['a', 'b', 'c', 'd']) expect(await read(store, key)).toBe('z'.repeat(1000));
    await store.close();
  });

  it('removes what a crash left behind when it opens, and keeps complete entries and foreign files', async () => {
    const first = createFsStore({ directory });
    await put(first, 'good', 'complete');
    await first.close();
    const variant = sha256('v');
    const goodFolder = join(directory, sha256('good'));
    // A body still being written, and a head still being written, when the process died.
    await writeFile(join(goodFolder, `.${randomUUID()}.tmp`), 'half a bo');
    await writeFile(join(goodFolder, `${variant}.head.${randomUUID()}.tmp`), '{"version":1');
    // A body whose head was never written.
    const orphanFolder = join(directory, sha256('orphan'));
    await mkdir(orphanFolder);
    await writeFile(join(orphanFolder, `${variant}.${randomUUID()}.body`), 'orphan body');
    // A head whose body is gone.
    const headless = join(directory, sha256('headless'));
    await mkdir(headless);
    const lostBody = { key: 'headless', variant: 'v', bodyId: randomUUID(), bodySize: 4, head };
    await writeFile(join(headless, `${variant}.head`), encodeEntry(lostBody));
    // A head whose body is shorter than it says (torn).
    const torn = join(directory, sha256('torn'));
    await mkdir(torn);
    const tornEntry = { key: 'torn', variant: 'v', bodyId: randomUUID(), bodySize: 100, head };
    await writeFile(join(torn, `${variant}.head`), encodeEntry(tornEntry));
    await writeFile(join(torn, `${variant}.${tornEntry.bodyId}.body`), 'short');
    // Something that is not ours.
    await writeFile(join(directory, 'NOTES.txt'), 'left by an operator');

    const second = createFsStore({ directory });
    expect(await second.list('torn')).toEqual([]);
    expect(await second.list('headless')).toEqual([]);
    expect(await read(second, 'good')).toBe('complete');
    const left = (await files(directory)).names;
    expect(left).toHaveLength(3);
    expect(left).toContain('NOTES.txt');
    expect(left.filter((name) => name.startsWith(sha256('good')))).toHaveLength(2);
    await second.close();
  });

  it('removes expired entries when it opens', async () => {
    let now = 1_000;
    const clock = { now: () => now, monotonic: () => now, setTimer: () => ({ cancel() {}, refresh() {} }) };
    const first = createFsStore({ directory, clock });
    const writer = await first.create('k', 'v', { ...head, discardAfter: 2_000 });
    await writer.write(new TextEncoder().encode('soon gone'));
    await writer.commit();
    await first.close();
    now = 5_000;
    const second = createFsStore({ directory, clock });
    expect(await second.list('k')).toEqual([]);
    expect((await files(directory)).names).toEqual([]);
    await second.close();
  });
});

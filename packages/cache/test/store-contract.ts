import { type BodySource, createManualClock, type ManualClock } from '@x/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CacheEntry, CacheStore, StoredResponseHead } from '../src/index.js';

/** What a store factory receives: the clock to honour and the entry limit to apply. */
export interface StoreFactoryOptions {
  clock: ManualClock;
  maxEntryBytes: number;
}

export interface StoreUnderTest {
  store: CacheStore;
  /** Frees everything the factory made (temp folders, servers); called after store.close(). */
  cleanup?: () => Promise<void>;
}

/**
 * The contract every CacheStore passes (the gregjones/httpcache idea: one
 * suite, every backend). Stores from other packages import this file.
 */
export function runCacheStoreContract(
  name: string,
  makeStore: (options: StoreFactoryOptions) => Promise<StoreUnderTest>,
): void {
  describe(`CacheStore contract: ${name}`, () => {
    let clock: ManualClock;
    let subject: StoreUnderTest | undefined;
    let store: CacheStore;
    const maxEntryBytes = 64 * 1024;

    beforeEach(async () => {
      clock = createManualClock();
      subject = undefined;
      subject = await makeStore({ clock, maxEntryBytes });
      store = subject.store;
    });

    afterEach(async () => {
      // Nothing to close when the factory itself failed (that failure is the test's).
      await subject?.store.close();
      await subject?.cleanup?.();
    });

    const head = (overrides: Partial<StoredResponseHead> = {}): StoredResponseHead => ({
      status: 200,
      reason: 'OK',
      httpVersion: '1.1',
      fields: ['Content-Type', 'text/plain', 'ETag', '"v1"'],
      url: 'http://127.0.0.1/a',
      varyValues: [['accept-language', 'en']],
      requestTime: clock.now(),
      responseTime: clock.now(),
      discardAfter: null,
      ...overrides,
    });

    const put = async (key: string, variant: string, chunks: string[], stored = head()) => {
      const writer = await store.create(key, variant, stored);
      for (const chunk of chunks) expect(await writer.write(bytes(chunk))).toBe(true);
      await writer.commit();
    };

    const only = async (key: string): Promise<CacheEntry> => {
      const entries = await store.list(key);
      expect(entries).toHaveLength(1);
      return entries[0] as CacheEntry;
    };

    const bodyOf = async (key: string, entry: CacheEntry): Promise<string> => {
      const source = await store.openBody(key, entry);
      expect(source).not.toBeNull();
      return text(await drain(source as BodySource));
    };

    it('lists nothing for a key never written', async () => {
      expect(await store.list('GET http://127.0.0.1/none')).toEqual([]);
    });

    it('round-trips a head and a body written in several chunks', async () => {
      const stored = head({ varyValues: [['accept', null]] });
      await put('k', 'v', ['hello ', 'cached ', 'world'], stored);
      const entry = await only('k');
      expect(entry.variant).toBe('v');
      expect(entry.bodySize).toBe(18);
      expect(entry.head).toEqual(stored);
      expect(await bodyOf('k', entry)).toBe('hello cached world');
    });

    it('round-trips an empty body', async () => {
      await put('k', 'v', []);
      const entry = await only('k');
      expect(entry.bodySize).toBe(0);
      expect(await bodyOf('k', entry)).toBe('');
    });

    it('shows nothing before commit and nothing after abort', async () => {
      const writer = await store.create('k', 'v', head());
      await writer.write(bytes('partial'));
      expect(await store.list('k')).toEqual([]);
      await writer.abort();
      await writer.abort();
      expect(await store.list('k')).toEqual([]);
    });

    it('ignores an abort after commit, and a write or commit after abort', async () => {
      const writer = await store.create('k', 'v', head());
      await writer.write(bytes('kept'));
      await writer.commit();
      await writer.abort();
      expect(await bodyOf('k', await only('k'))).toBe('kept');
      const late = await store.create('k', 'w', head());
      await late.abort();
      expect(await late.write(bytes('too late'))).toBe(false);
      await late.commit();
      expect((await store.list('k')).map((entry) => entry.variant)).toEqual(['v']);
    });

    it('keeps the previous response while a replacement is still streaming, and if it is abandoned', async () => {
      await put('k', 'v', ['old']);
      const writer = await store.create('k', 'v', head({ status: 203 }));
      await writer.write(bytes('new but torn'));
      const during = await only('k');
      expect(during.head.status).toBe(200);
      await writer.abort();
      expect(await bodyOf('k', await only('k'))).toBe('old');
    });

    it('replaces a variant written again and keeps different variants apart', async () => {
      await put('k', 'en', ['english v1']);
      await put('k', 'fr', ['french']);
      await put('k', 'en', ['english v2'], head({ status: 203 }));
      const entries = await store.list('k');
      expect(entries.map((entry) => entry.variant).sort()).toEqual(['en', 'fr']);
      const english = entries.find((entry) => entry.variant === 'en') as CacheEntry;
      expect(english.head.status).toBe(203);
      expect(await bodyOf('k', english)).toBe('english v2');
    });

    it('keeps keys apart, including keys that differ only in odd characters', async () => {
      const keys = [
        'GET http://127.0.0.1/a',
        'GET http://127.0.0.1/a/',
        'GET http://127.0.0.1/é\u0000x',
        '../x',
      ];
      for (const [index, key] of keys.entries()) await put(key, 'v', [`body ${index}`]);
      for (const [index, key] of keys.entries())
        expect(await bodyOf(key, await only(key))).toBe(`body ${index}`);
    });

    it('updates a head without touching the body', async () => {
      await put('k', 'v', ['body stays']);
      const entry = await only('k');
      const updated = head({
        fields: ['ETag', '"v1"', 'Cache-Control', 'max-age=60'],
        responseTime: 5,
      });
      expect(await store.updateHead('k', entry, updated)).toBe(true);
      const after = await only('k');
      expect(after.head).toEqual(updated);
      expect(after.bodyId).toBe(entry.bodyId);
      expect(await bodyOf('k', after)).toBe('body stays');
    });

    it('refuses to update or open a body that was replaced since it was listed', async () => {
      await put('k', 'v', ['first']);
      const first = await only('k');
      await put('k', 'v', ['second']);
      expect(await store.updateHead('k', first, head({ status: 299 }))).toBe(false);
      expect(await store.openBody('k', first)).toBeNull();
      expect((await only('k')).head.status).toBe(200);
    });

    it('lets a reader finish a body whose entry is replaced or deleted meanwhile, never short', async () => {
      const big = 'x'.repeat(40_000);
      await put('k', 'v', [big.slice(0, 20_000), big.slice(20_000)]);
      const source = (await store.openBody('k', await only('k'))) as BodySource;
      const firstChunk = await source.read();
      await put('k', 'v', ['replacement']);
      await store.delete('k');
      const parts: Uint8Array[] = firstChunk ? [firstChunk] : [];
      let failed = false;
      try {
        parts.push(await drain(source));
      } catch {
        failed = true;
      }
      if (!failed) expect(text(concat(parts))).toBe(big);
    });

    it('cancels a body read part-way without errors', async () => {
      await put('k', 'v', ['a'.repeat(30_000), 'b'.repeat(30_000)]);
      const source = (await store.openBody('k', await only('k'))) as BodySource;
      expect(await source.read()).not.toBeNull();
      source.cancel(new Error('caller went away'));
      source.cancel();
      await expect(source.read()).rejects.toThrow();
    });

    it('deletes every variant of a key and nothing else', async () => {
      await put('k', 'en', ['1']);
      await put('k', 'fr', ['2']);
      await put('other', 'en', ['3']);
      await store.delete('k');
      await store.delete('never-written');
      expect(await store.list('k')).toEqual([]);
      expect(await bodyOf('other', await only('other'))).toBe('3');
    });

    it('forgets entries once their discardAfter passes on the store clock', async () => {
      await put('k', 'v', ['short-lived'], head({ discardAfter: clock.now() + 10_000 }));
      await put('k', 'w', ['kept'], head({ discardAfter: null }));
      clock.advance(9_000);
      expect((await store.list('k')).map((entry) => entry.variant).sort()).toEqual(['v', 'w']);
      clock.advance(2_000);
      expect((await store.list('k')).map((entry) => entry.variant)).toEqual(['w']);
    });

    it('refuses a body larger than the entry limit and keeps nothing of it', async () => {
      const writer = await store.create('k', 'v', head());
      expect(await writer.write(new Uint8Array(maxEntryBytes / 2))).toBe(true);
      expect(await writer.write(new Uint8Array(maxEntryBytes))).toBe(false);
      await writer.abort();
      await writer.commit();
      expect(await store.list('k')).toEqual([]);
    });

    it('stores a body of many chunks byte for byte', async () => {
      const writer = await store.create('k', 'v', head());
      const expected = new Uint8Array(60_000);
      for (let index = 0; index < expected.length; index++) expected[index] = (index * 31) % 251;
      for (let offset = 0; offset < expected.length; offset += 1000) {
        expect(await writer.write(expected.subarray(offset, offset + 1000))).toBe(true);
      }
      await writer.commit();
      const entry = await only('k');
      expect(entry.bodySize).toBe(expected.length);
      const source = (await store.openBody('k', entry)) as BodySource;
      expect(await drain(source)).toEqual(expected);
    });

    it('ends with exactly one complete response when two writers race on one variant', async () => {
      const first = await store.create('k', 'v', head({ status: 200 }));
      const second = await store.create('k', 'v', head({ status: 203 }));
      for (let round = 0; round < 5; round++) {
        await Promise.all([first.write(bytes('A'.repeat(1000))), second.write(bytes('B'.repeat(1000)))]);
      }
      await Promise.all([first.commit(), second.commit()]);
      const entry = await only('k');
      const body = await bodyOf('k', entry);
      expect(body).toBe((entry.head.status === 200 ? 'A' : 'B').repeat(5000));
    });
  });
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function bytes(value: string): Uint8Array {
  return encoder.encode(value);
}

function text(value: Uint8Array): string {
  return decoder.decode(value);
}

async function drain(source: BodySource): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (;;) {
    const chunk = await source.read();
    if (chunk === null) return concat(chunks);
    chunks.push(chunk);
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

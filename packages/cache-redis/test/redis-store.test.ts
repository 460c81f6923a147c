import { randomUUID } from 'node:crypto';
import { type StoredResponseHead, withCache } from '@x/cache';
import { createMockTransport, createRequest, HttpClientError, systemClock } from '@x/core';
import { createClient } from 'redis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCacheStoreContract } from '../../cache/test/store-contract.js';
import { createRedisStore } from '../src/index.js';
import { type RedisServer, startRedisServer } from './redis-server.js';

let server: RedisServer;
let admin: ReturnType<typeof createClient>;
let startup: unknown;

// A missing or broken redis-server fails every test (not one hook that leaves them "skipped").
beforeAll(async () => {
  try {
    server = await startRedisServer();
    admin = createClient({ url: server.url });
    await admin.connect();
  } catch (error) {
    startup = error;
  }
});

const requireServer = (): RedisServer => {
  if (startup !== undefined) throw startup;
  return server;
};

afterAll(async () => {
  if (admin?.isOpen) await admin.close();
  await server?.stop();
});

runCacheStoreContract('redis', async ({ clock, maxEntryBytes }) => ({
  store: await createRedisStore({
    url: requireServer().url,
    prefix: `contract-${randomUUID()}:`,
    clock,
    maxEntryBytes,
    readChunkBytes: 8192,
  }),
}));

const head = (discardAfter: number | null): StoredResponseHead => ({
  status: 200,
  reason: 'OK',
  httpVersion: '1.1',
  fields: ['Cache-Control', 'max-age=60'],
  url: 'http://127.0.0.1/a',
  varyValues: [],
  requestTime: 0,
  responseTime: 0,
  discardAfter,
});

const keysWithPrefix = async (prefix: string) => admin.keys(`${prefix}*`);

describe('redis store', () => {
  beforeEach(() => {
    requireServer();
  });

  it('lets Redis expire an entry at its discardAfter, removing its keys from the server', async () => {
    const prefix = `ttl-${randomUUID()}:`;
    const store = await createRedisStore({ url: server.url, prefix, clock: systemClock() });
    try {
      const writer = await store.create('k', 'v', head(Date.now() + 300));
      await writer.write(new TextEncoder().encode('short-lived'));
      await writer.commit();
      expect((await keysWithPrefix(prefix)).length).toBeGreaterThan(0);
      const ttl = await admin.pTTL((await keysWithPrefix(`${prefix}*head`))[0] ?? '');
      expect(ttl).toBeGreaterThan(0);
      // Wait for the server, not for a duration: poll until the keys are gone (bounded by the test timeout).
      while ((await keysWithPrefix(prefix)).length > 0)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await store.list('k')).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('extends the TTLs of head, body and index when a head update (a 304) makes the entry live longer', async () => {
    const prefix = `extend-${randomUUID()}:`;
    const clock = systemClock();
    const store = await createRedisStore({ url: server.url, prefix, clock });
    try {
      const writer = await store.create('k', 'v', head(Date.now() + 60_000));
      await writer.write(new TextEncoder().encode('body'));
      await writer.commit();
      const [entry] = await store.list('k');
      expect(entry).toBeDefined();
      if (!entry) return;
      expect(await store.updateHead('k', entry, head(Date.now() + 3_600_000))).toBe(true);
      const keys = await keysWithPrefix(prefix);
      expect(keys).toHaveLength(3);
      for (const key of keys) expect(await admin.pTTL(key)).toBeGreaterThan(600_000);
    } finally {
      await store.close();
    }
  });

  it('gives an unfinished write a TTL, so a writer that died leaves nothing for ever', async () => {
    const prefix = `pending-${randomUUID()}:`;
    const store = await createRedisStore({ url: server.url, prefix, pendingWriteTtlMs: 60_000 });
    try {
      const writer = await store.create('k', 'v', head(null));
      await writer.write(new TextEncoder().encode('half'));
      const [pending] = await keysWithPrefix(`${prefix}*pending*`);
      expect(await admin.pTTL(pending ?? '')).toBeGreaterThan(0);
      expect(await store.list('k')).toEqual([]);
    } finally {
      await store.close();
    }
    expect(await keysWithPrefix(prefix)).toEqual([]);
  });

  it('shares entries between stores on separate connections (two processes)', async () => {
    const prefix = `shared-${randomUUID()}:`;
    const first = await createRedisStore({ url: server.url, prefix });
    const second = await createRedisStore({ url: server.url, prefix });
    const origin = createMockTransport((_request, context) => ({
      headers: { 'Cache-Control': 'max-age=60' },
      body: `from origin ${context.index}`,
    }));
    const processA = withCache(origin, { store: first });
    const processB = withCache(origin, { store: second });
    try {
      const url = 'http://127.0.0.1:9/shared';
      expect(await (await processA.request(createRequest({ url }))).body.text()).toBe('from origin 1');
      const fromB = await processB.request(createRequest({ url }));
      expect(await fromB.body.text()).toBe('from origin 1');
      expect(fromB.meta.cache?.status).toBe('hit');
      expect(origin.requests).toHaveLength(1);
    } finally {
      await processA.close();
      await processB.close();
      await first.close();
      await second.close();
    }
  });

  it('keeps exactly one complete body when writers on separate connections race, and expires the loser', async () => {
    const prefix = `race-${randomUUID()}:`;
    const stores = await Promise.all(
      [1, 2, 3, 4].map(() => createRedisStore({ url: server.url, prefix, replacedBodyGraceMs: 30_000 })),
    );
    try {
      const writers = await Promise.all(
        stores.map((store, index) => store.create('k', 'v', { ...head(null), status: 200 + index })),
      );
      for (let round = 0; round < 20; round++) {
        await Promise.all(
          writers.map((writer, index) => writer.write(new TextEncoder().encode(String(index).repeat(500)))),
        );
      }
      await Promise.all(writers.map((writer) => writer.commit()));
      for (const store of stores) {
        const entries = await store.list('k');
        expect(entries).toHaveLength(1);
        const entry = entries[0];
        if (entry === undefined) continue;
        const source = await store.openBody('k', entry);
        let body = '';
        for (;;) {
          const chunk = await source?.read();
          if (!chunk) break;
          body += new TextDecoder().decode(chunk);
        }
        expect(body).toBe(String(entry.head.status - 200).repeat(10_000));
      }
      // Replaced bodies are not deleted outright (a reader may be on them) but carry a grace TTL.
      const bodies = await keysWithPrefix(`${prefix}*body*`);
      const withoutTtl = [];
      for (const key of bodies) if ((await admin.pTTL(key)) < 0) withoutTtl.push(key);
      expect(withoutTtl).toHaveLength(1);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('fails fast with CONNECT_FAILED when Redis is not there at start', async () => {
    const probe = await startRedisServer();
    const url = probe.url;
    await probe.stop();
    await expect(createRedisStore({ url })).rejects.toSatisfy(
      (error) => HttpClientError.is(error, 'CONNECT_FAILED') && error.requestSent === false,
    );
  });

  it('keeps the layer answering from the origin, without hanging, when Redis goes away', async () => {
    const own = await startRedisServer();
    let serverStopped = false;
    const store = await createRedisStore({ url: own.url, prefix: `away-${randomUUID()}:` });
    const origin = createMockTransport((_request, context) => ({
      headers: { 'Cache-Control': 'max-age=60' },
      body: `origin ${context.index}`,
    }));
    const transport = withCache(origin, { store });
    try {
      const url = 'http://127.0.0.1:9/away';
      expect(await (await transport.request(createRequest({ url }))).body.text()).toBe('origin 1');
      expect((await transport.request(createRequest({ url }))).meta.cache?.status).toBe('hit');
      await own.stop();
      serverStopped = true;
      const without = await transport.request(createRequest({ url }));
      expect(await without.body.text()).toBe('origin 2');
      expect(without.meta.cache).toMatchObject({ status: 'miss', stored: false });
    } finally {
      await transport.close();
      await store.close();
      if (!serverStopped) await own.stop();
    }
  });

  it('does not close a client it was given', async () => {
    const client = createClient({ url: server.url });
    await client.connect();
    try {
      const store = await createRedisStore({ client, prefix: `given-${randomUUID()}:` });
      await store.close();
      expect(await client.ping()).toBe('PONG');
    } finally {
      await client.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import type { StoredResponseHead } from '@x/cache';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, type RedisCommandClient } from '../src/index.js';
import { type RedisServer, startRedisServer } from './redis-server.js';

let server: RedisServer | undefined;
let client: ReturnType<typeof createClient> | undefined;
let startup: unknown;

beforeAll(async () => {
  try {
    server = await startRedisServer();
    client = createClient({ url: server.url });
    await client.connect();
  } catch (error) {
    startup = error;
  }
});

afterAll(async () => {
  if (client?.isOpen) await client.close();
  await server?.stop();
});

const head: StoredResponseHead = {
  status: 200,
  reason: 'OK',
  httpVersion: '1.1',
  fields: ['Cache-Control', 'max-age=60'],
  url: 'http://127.0.0.1/a',
  varyValues: [],
  requestTime: 0,
  responseTime: 0,
  discardAfter: null,
};

/** The real client, with every command name it sends recorded. */
function recording(): { client: RedisCommandClient; commands: string[] } {
  if (startup !== undefined || client === undefined) throw startup ?? new Error('no redis client');
  const real = client;
  const commands: string[] = [];
  return {
    commands,
    client: {
      sendCommand(args, options) {
        commands.push(String(args[0]));
        return real.sendCommand(args as (string | Buffer)[], options);
      },
    },
  };
}

async function readAll(source: { read(): Promise<Uint8Array | null> }): Promise<string> {
  let text = '';
  for (let chunk = await source.read(); chunk; chunk = await source.read())
    text += Buffer.from(chunk).toString();
  return text;
}

describe('redis store: batched writes', () => {
  it('gathers small chunks into few APPENDs and stores every byte in order', async () => {
    const { client: counted, commands } = recording();
    const store = await createRedisStore({
      client: counted,
      prefix: `batch-${randomUUID()}:`,
      writeBatchBytes: 1000,
    });
    const writer = await store.create('k', 'v', head);
    const chunk = new Uint8Array(100);
    let expected = '';
    for (let index = 0; index < 25; index++) {
      const text = String(index % 10).repeat(100);
      chunk.set(Buffer.from(text));
      // The same buffer is reused for every chunk, as a socket reader may do: the store must have copied it.
      expect(await writer.write(chunk)).toBe(true);
      expected += text;
    }
    await writer.commit();
    expect(commands.filter((name) => name === 'APPEND')).toHaveLength(3); // 1000 + 1000 + the last 500 at commit
    const [entry] = await store.list('k');
    expect(entry?.bodySize).toBe(2500);
    const source = entry ? await store.openBody('k', entry) : null;
    expect(source).not.toBeNull();
    expect(await readAll(source as NonNullable<typeof source>)).toBe(expected);
    await store.close();
  });

  it('sends a chunk at least as large as the batch at once, and nothing of an aborted write stays', async () => {
    const { client: counted, commands } = recording();
    const prefix = `batch-${randomUUID()}:`;
    const store = await createRedisStore({ client: counted, prefix, writeBatchBytes: 10 });
    const writer = await store.create('k', 'v', head);
    await writer.write(new Uint8Array(50));
    expect(commands.filter((name) => name === 'APPEND')).toHaveLength(1);
    await writer.write(new Uint8Array(3));
    await writer.abort();
    expect(commands.filter((name) => name === 'APPEND')).toHaveLength(1);
    expect(await store.list('k')).toEqual([]);
    expect(await (client as NonNullable<typeof client>).keys(`${prefix}*`)).toEqual([]);
    await store.close();
  });
});

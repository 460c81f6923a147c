import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock, createRequest, type HttpTransport } from '@x/core';
import { formatHttpDate } from '@x/headers';
import { afterEach, describe, expect, it } from 'vitest';
import { createFsStore, createMemoryStore, withCache } from '../src/index.js';
import { type LoopbackServer, nodeHttpTransport, startLoopbackServer } from './helpers/loopback.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverWith(handler: Parameters<typeof startLoopbackServer>[0]): Promise<LoopbackServer> {
  const server = await startLoopbackServer(handler);
  cleanups.push(async () => {
    await server.close();
  });
  return server;
}

function track<T extends HttpTransport>(transport: T): T {
  cleanups.push(() => transport.close());
  return transport;
}

describe('the cache against a real loopback server', () => {
  it('misses, hits, then revalidates with the ETag and gets a 304 from the server', async () => {
    const clock = createManualClock(Date.now());
    const server = await serverWith((request, response) => {
      response.setHeader('Date', formatHttpDate(clock.now()));
      if (request.headers['if-none-match'] === '"v1"') {
        response.writeHead(304, { ETag: '"v1"', 'Cache-Control': 'max-age=10' }).end();
        return;
      }
      response.writeHead(200, { ETag: '"v1"', 'Cache-Control': 'max-age=10', 'Content-Type': 'text/plain' });
      response.end('hello from the socket');
    });
    const transport = track(withCache(nodeHttpTransport(), { clock, store: createMemoryStore({ clock }) }));
    const url = `${server.origin}/greeting`;
    const statuses: (string | undefined)[] = [];
    for (const advance of [0, 5_000, 10_000]) {
      clock.advance(advance);
      const response = await transport.request(createRequest({ url }));
      expect(await response.body.text()).toBe('hello from the socket');
      statuses.push(response.meta.cache?.status);
    }
    expect(statuses).toEqual(['miss', 'hit', 'revalidated']);
    expect(server.received.map((seen) => seen.ifNoneMatch)).toEqual([undefined, '"v1"']);
  });

  it('stores a large streamed body while the caller reads it, and serves it byte for byte', async () => {
    const chunk = Buffer.alloc(64 * 1024);
    for (let index = 0; index < chunk.length; index++) chunk[index] = index % 251;
    const server = await serverWith((_request, response) => {
      response.writeHead(200, { 'Cache-Control': 'max-age=60' });
      for (let index = 0; index < 16; index++) response.write(chunk);
      response.end();
    });
    const transport = track(withCache(nodeHttpTransport()));
    const url = `${server.origin}/large`;
    const first = await (await transport.request(createRequest({ url }))).body.bytes();
    const secondResponse = await transport.request(createRequest({ url }));
    const second = await secondResponse.body.bytes();
    expect(first.byteLength).toBe(16 * chunk.length);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    expect(secondResponse.meta.cache?.status).toBe('hit');
    expect(server.received).toHaveLength(1);
  });

  it('a file-system cache answers after a restart, and a POST invalidates it', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'x-cache-loopback-'));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const server = await serverWith((request, response) => {
      if (request.method === 'POST') {
        response.writeHead(204).end();
        return;
      }
      response.writeHead(200, { 'Cache-Control': 'max-age=600' }).end(`version ${server.received.length}`);
    });
    const url = `${server.origin}/doc`;
    const before = withCache(nodeHttpTransport(), { store: createFsStore({ directory }) });
    expect(await (await before.request(createRequest({ url }))).body.text()).toBe('version 1');
    await before.close();
    const after = track(withCache(nodeHttpTransport(), { store: createFsStore({ directory }) }));
    const restarted = await after.request(createRequest({ url }));
    expect(await restarted.body.text()).toBe('version 1');
    expect(restarted.meta.cache?.status).toBe('hit');
    await (await after.request(createRequest({ url, method: 'POST', body: 'change' }))).body.text();
    expect(await (await after.request(createRequest({ url }))).body.text()).toBe('version 3');
    expect(server.received.map((seen) => seen.method)).toEqual(['GET', 'POST', 'GET']);
  });

  it('a caller that cancels mid-body leaves nothing stored and no socket open', async () => {
    const server = await serverWith((_request, response) => {
      response.writeHead(200, { 'Cache-Control': 'max-age=60' });
      response.write('x'.repeat(16 * 1024));
      // Never ends: only the caller's cancel finishes this exchange.
    });
    const transport = track(withCache(nodeHttpTransport()));
    const url = `${server.origin}/endless`;
    const response = await transport.request(createRequest({ url }));
    const iterator = response.body[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    await response.body.cancel();
    const again = await transport.request(
      createRequest({ url, options: { cache: { mode: 'only-if-cached' } } }),
    );
    expect(again.status).toBe(504);
    while (server.openSockets() > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(server.openSockets()).toBe(0);
  });
});

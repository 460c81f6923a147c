import type { ServerResponse } from 'node:http';
import { createRequest, type HttpTransport } from '@x/core';
import { afterEach, describe, expect, it } from 'vitest';
import { withCache } from '../src/index.js';
import { settle } from './helpers/gated-origin.js';
import { type LoopbackServer, nodeHttpTransport, startLoopbackServer } from './helpers/loopback.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverWith(handler: Parameters<typeof startLoopbackServer>[0]): Promise<LoopbackServer> {
  const server = await startLoopbackServer(handler);
  cleanups.push(() => server.close());
  return server;
}

function track<T extends HttpTransport>(transport: T): T {
  cleanups.push(() => transport.close());
  return transport;
}

describe('request coalescing against a real loopback server', () => {
  it('five concurrent misses reach the server once and all get the streamed body byte for byte', async () => {
    const chunk = Buffer.alloc(64 * 1024);
    for (let index = 0; index < chunk.length; index++) chunk[index] = index % 251;
    const held: ServerResponse[] = [];
    const server = await serverWith((_request, response) => {
      held.push(response);
    });
    const transport = track(withCache(nodeHttpTransport()));
    const url = `${server.origin}/popular`;
    const pending = Array.from({ length: 5 }, () => transport.request(createRequest({ url })));
    while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await settle();
    const response = held[0] as ServerResponse;
    response.writeHead(200, { 'Cache-Control': 'max-age=60' });
    for (let index = 0; index < 8; index++) response.write(chunk);
    response.end();
    const bodies = await Promise.all((await Promise.all(pending)).map((each) => each.body.bytes()));
    for (const body of bodies) {
      expect(body.byteLength).toBe(8 * chunk.length);
      expect(Buffer.from(body).equals(Buffer.from(bodies[0] as Uint8Array))).toBe(true);
    }
    expect(server.received).toHaveLength(1);
    while (server.openSockets() > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(server.openSockets()).toBe(0);
  });

  it('closes the socket to the server once every waiting caller has aborted', async () => {
    const server = await serverWith(() => {
      // Never answers: only the callers' aborts end this exchange.
    });
    const transport = track(withCache(nodeHttpTransport()));
    const url = `${server.origin}/slow`;
    const controllers = [new AbortController(), new AbortController()];
    const pending = controllers.map((controller) =>
      transport.request(createRequest({ url, signal: controller.signal })),
    );
    while (server.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await settle();
    controllers[0]?.abort();
    await expect(pending[0]).rejects.toMatchObject({ code: 'ABORTED' });
    expect(server.openSockets()).toBe(1);
    controllers[1]?.abort();
    await expect(pending[1]).rejects.toMatchObject({ code: 'ABORTED' });
    while (server.openSockets() > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(server.openSockets()).toBe(0);
    expect(server.received).toHaveLength(1);
  });
});

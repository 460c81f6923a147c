import { createRequest, type HttpTransport } from '@x/core';
import { createPool } from '@x/pool';
import { cleanupAfterEach, httpServer, type TrackedServer, until } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { withRedirects } from '../src/index.js';

/**
 * The redirect layer over `@x/pool`, on loopback. Under the pool a 3xx body
 * the layer cancels is drained for reuse when its rest is small, and the
 * connection closed when it is large or never ends; either way the next hop
 * goes out, and nothing stays open once the client is closed. What each
 * server saw (sockets accepted, open) is the proof.
 */

const cleanups = cleanupAfterEach();

interface Started {
  readonly server: TrackedServer;
  readonly seen: { url: string; authorization: string | undefined; socket: number }[];
}

/** A server whose `routes[path]` answers; it notes each request's path, Authorization and socket. */
async function start(
  routes: Record<string, (response: import('node:http').ServerResponse) => void>,
): Promise<Started> {
  const seen: Started['seen'] = [];
  const sockets = new WeakMap<object, number>();
  let next = 0;
  const server = await httpServer((request, response) => {
    let socket = sockets.get(request.socket);
    if (socket === undefined) {
      socket = next++;
      sockets.set(request.socket, socket);
    }
    seen.push({ url: request.url ?? '', authorization: request.headers.authorization, socket });
    request.resume();
    const route = routes[request.url ?? ''];
    if (route === undefined) {
      response.writeHead(404).end();
      return;
    }
    route(response);
  });
  cleanups.push(() => server.close());
  return { server, seen };
}

function client(): HttpTransport {
  const transport = withRedirects(
    createPool({ connection: { drainOnCancel: { maxBytes: 64 * 1024, timeout: 300 } } }),
  );
  cleanups.push(() => transport.close());
  return transport;
}

const redirectTo =
  (location: string, body: string | Buffer) => (response: import('node:http').ServerResponse) => {
    response.writeHead(302, { Location: location, 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
  };

describe('redirects over @x/pool', () => {
  it('drains a small 3xx body and sends the next hop on the same connection', async () => {
    const origin = await start({
      '/a': redirectTo('/b', 'moved to /b'),
      '/b': redirectTo('/c', 'x'.repeat(1000)),
      '/c': (response) => response.end('final'),
    });
    const transport = client();
    const response = await transport.request(createRequest({ url: `${origin.server.origin}/a` }));
    expect(response.status).toBe(200);
    expect(await response.body.text()).toBe('final');
    expect(response.meta.redirects?.map((hop) => new URL(hop.url).pathname)).toEqual(['/a', '/b']);
    expect(origin.seen.map((entry) => entry.url)).toEqual(['/a', '/b', '/c']);
    // One socket carried all three exchanges: each cancelled body was drained, not cut.
    expect(origin.server.accepted()).toBe(1);
    expect(new Set(origin.seen.map((entry) => entry.socket)).size).toBe(1);
  });

  it('closes the connection of a 3xx body too large to drain, and the next hop opens another', async () => {
    const origin = await start({
      '/big': redirectTo('/done', Buffer.alloc(1024 * 1024, 0x61)),
      '/done': (response) => response.end('done'),
    });
    const transport = client();
    const response = await transport.request(createRequest({ url: `${origin.server.origin}/big` }));
    expect(await response.body.text()).toBe('done');
    expect(origin.server.accepted()).toBe(2);
    // The cut connection is gone on the server side; the final one idles in the pool.
    await until(() => origin.server.open() === 1);
    await transport.close();
    await until(() => origin.server.open() === 0);
  });

  it('gives up on a 3xx body that never ends, within the drain timeout, and still follows', async () => {
    const origin = await start({
      '/endless': (response) => {
        response.writeHead(302, { Location: '/after' });
        // Chunked, one chunk, then silence: the body never ends.
        response.write('still moving');
      },
      '/after': (response) => response.end('after'),
    });
    const transport = client();
    const response = await transport.request(createRequest({ url: `${origin.server.origin}/endless` }));
    expect(await response.body.text()).toBe('after');
    // The endless body's connection is closed (drain timeout 300 ms), not kept forever.
    await until(() => origin.server.open() === 1, 3000);
    expect(origin.server.accepted()).toBe(2);
    await transport.close();
    await until(() => origin.server.open() === 0);
  });

  it('sends Authorization on a same-origin hop and never to another origin, over pooled connections', async () => {
    const other = await start({ '/landing': (response) => response.end('other') });
    const origin = await start({
      '/login': redirectTo('/home', ''),
      '/home': redirectTo(`${other.server.origin}/landing`, ''),
    });
    const transport = client();
    const response = await transport.request(
      createRequest({ url: `${origin.server.origin}/login`, headers: { Authorization: 'Bearer secret' } }),
    );
    expect(await response.body.text()).toBe('other');
    expect(origin.seen.map((entry) => entry.authorization)).toEqual(['Bearer secret', 'Bearer secret']);
    expect(other.seen).toEqual([{ url: '/landing', authorization: undefined, socket: 0 }]);
    // A second run reuses the pooled connections and leaks the credential no more than the first.
    const again = await transport.request(
      createRequest({ url: `${origin.server.origin}/login`, headers: { Authorization: 'Bearer secret' } }),
    );
    expect(await again.body.text()).toBe('other');
    expect(other.seen.map((entry) => entry.authorization)).toEqual([undefined, undefined]);
    expect(origin.server.accepted()).toBe(1);
    expect(other.server.accepted()).toBe(1);
  });
});

import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createManualClock, createRequest, HttpClientError } from '@x/core';
import { httpServer, okResponse, rawServer, until } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { createPool, POOL_CHANNELS, type Pool } from '../src/index.js';
import { closedAfterEach } from './support/closed-after-each.js';

const { usePool, useServer } = closedAfterEach();

async function get(
  pool: Pool,
  url: string,
  init: Parameters<typeof createRequest>[0] extends infer T ? Partial<T> : never = {},
) {
  const response = await pool.request(createRequest({ url, ...init }));
  return { response, text: await response.body.text() };
}

describe('createPool: reuse', () => {
  it('reuses one connection for sequential requests, seen from the server', async () => {
    const server = useServer(await httpServer((_request, response) => response.end('ok')));
    const pool = usePool(createPool());
    const reused: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const { response, text } = await get(pool, `${server.origin}/${i}`);
      expect(text).toBe('ok');
      reused.push(response.meta.connection?.reused ?? false);
    }
    expect(server.accepted()).toBe(1);
    expect(reused).toEqual([false, true, true, true, true]);
    expect(pool.stats()).toMatchObject({ open: 1, idle: 1, busy: 0, queued: 0 });
  });

  it('does not reuse a connection whose response body was cancelled midway; the next request still works', async () => {
    const server = useServer(
      await httpServer((request, response) => {
        if (request.url === '/big') response.end('x'.repeat(1_000_000));
        else response.end('small');
      }),
    );
    const pool = usePool(createPool());
    const big = await pool.request(createRequest({ url: `${server.origin}/big` }));
    const iterator = big.body[Symbol.asyncIterator]();
    await iterator.next();
    await big.body.cancel('enough');
    const { text } = await get(pool, `${server.origin}/small`);
    expect(text).toBe('small');
    expect(server.accepted()).toBe(2);
  });

  it('keeps the connection when a cancelled body had only a small remainder (drained, not closed)', async () => {
    const held: (() => void)[] = [];
    const server = useServer(
      await httpServer((request, response) => {
        if (request.url !== '/partial') {
          response.end('small');
          return;
        }
        response.writeHead(200, { 'content-length': '8000' });
        response.write('a'.repeat(1000));
        held.push(() => response.end('b'.repeat(7000)));
      }),
    );
    const pool = usePool(createPool());
    const partial = await pool.request(createRequest({ url: `${server.origin}/partial` }));
    await partial.body[Symbol.asyncIterator]().next();
    await partial.body.cancel('enough');
    expect(HttpClientError.is(await partial.trailers.catch((error) => error), 'ABORTED')).toBe(true);
    for (const send of held.splice(0)) send();
    // The protocol reads and discards the rest; the connection then comes back idle.
    await until(() => pool.stats().idle === 1);
    const { response, text } = await get(pool, `${server.origin}/small`);
    expect(text).toBe('small');
    expect(response.meta.connection?.reused).toBe(true);
    expect(server.accepted()).toBe(1);
  });

  it('keeps connections apart per origin', async () => {
    const a = useServer(await httpServer((_request, response) => response.end('a')));
    const b = useServer(await httpServer((_request, response) => response.end('b')));
    const pool = usePool(createPool());
    expect((await get(pool, `${a.origin}/`)).text).toBe('a');
    expect((await get(pool, `${b.origin}/`)).text).toBe('b');
    expect((await get(pool, `${a.origin}/`)).text).toBe('a');
    expect([a.accepted(), b.accepted()]).toEqual([1, 1]);
    expect(pool.stats().origins).toHaveLength(2);
  });
});

describe('createPool: requests refused before a byte is sent', () => {
  it('hands the connection back: it serves the next request, and close() settles', async () => {
    const server = useServer(await httpServer((_request, response) => response.end('ok')));
    const pool = usePool(createPool());
    // Heads the serializer refuses only once a connection was taken: a Content-Length
    // that disagrees with the body, and a framing field as a request trailer.
    const refused = [
      createRequest({
        method: 'POST',
        url: `${server.origin}/`,
        headers: { 'content-length': '9' },
        body: 'abc',
      }),
      createRequest({
        method: 'POST',
        url: `${server.origin}/`,
        body: 'abc',
        options: { http1: { trailers: [['Host', 'elsewhere.test']] } },
      }),
    ];
    for (const request of refused) {
      await expect(pool.request(request)).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
        requestSent: false,
      });
      expect(pool.stats()).toMatchObject({ open: 1, idle: 1, busy: 0 });
    }
    const { text } = await get(pool, `${server.origin}/after`);
    expect(text).toBe('ok');
    expect(server.accepted()).toBe(1);
    await pool.close();
    await until(() => server.open() === 0);
  });
});

describe('createPool: limits and queueing', () => {
  it('opens at most connectionsPerOrigin and serves the queue in order', async () => {
    const arrivals: string[] = [];
    const held: (() => void)[] = [];
    const server = useServer(
      await httpServer((request, response) => {
        arrivals.push(request.url ?? '');
        held.push(() => response.end(request.url));
      }),
    );
    const pool = usePool(createPool({ connectionsPerOrigin: 2 }));
    const pending = Array.from({ length: 6 }, (_, i) => get(pool, `${server.origin}/${i}`));
    await until(() => arrivals.length === 2);
    expect(pool.stats()).toMatchObject({ open: 2, queued: 4 });
    while (arrivals.length < 6 || held.length > 0) {
      await until(() => held.length > 0);
      held.shift()?.();
    }
    const texts = (await Promise.all(pending)).map((result) => result.text);
    expect(texts).toEqual(['/0', '/1', '/2', '/3', '/4', '/5']);
    expect(arrivals).toEqual(['/0', '/1', '/2', '/3', '/4', '/5']);
    expect(server.accepted()).toBe(2);
  });

  it('refuses past maxQueuedPerOrigin with LIMIT_EXCEEDED instead of growing memory', async () => {
    const server = useServer(await httpServer(() => undefined));
    const pool = usePool(createPool({ connectionsPerOrigin: 1, maxQueuedPerOrigin: 2 }));
    const first = pool.request(createRequest({ url: server.origin })).catch(() => undefined);
    await until(() => pool.stats().busy === 1);
    const queued = [1, 2].map(() =>
      pool.request(createRequest({ url: server.origin })).catch(() => undefined),
    );
    const error = await pool.request(createRequest({ url: server.origin })).catch((e) => e);
    expect(HttpClientError.is(error, 'LIMIT_EXCEEDED')).toBe(true);
    expect(error.requestSent).toBe(false);
    expect(error.details.limit).toBe('maxQueuedPerOrigin');
    await pool.destroy();
    await Promise.all([first, ...queued]);
  });

  it('times out a request waiting in the queue (phase "queue")', async () => {
    const server = useServer(await httpServer(() => undefined));
    const pool = usePool(createPool({ connectionsPerOrigin: 1, queueTimeout: 50 }));
    const hung = pool.request(createRequest({ url: server.origin })).catch(() => undefined);
    const error = await pool.request(createRequest({ url: server.origin })).catch((e) => e);
    expect(HttpClientError.is(error, 'TIMEOUT')).toBe(true);
    expect(error.phase).toBe('queue');
    expect(error.requestSent).toBe(false);
    await pool.destroy();
    await hung;
  });

  it('caps connections across origins and evicts an idle connection of another origin', async () => {
    const a = useServer(await httpServer((_request, response) => response.end('a')));
    const b = useServer(await httpServer((_request, response) => response.end('b')));
    const pool = usePool(createPool({ maxConnections: 1 }));
    await get(pool, a.origin);
    expect(a.open()).toBe(1);
    expect((await get(pool, b.origin)).text).toBe('b');
    await until(() => a.open() === 0);
    expect(pool.stats().open).toBe(1);
  });
});

describe('createPool: idle connections', () => {
  it("closes an idle connection a second before the server's Keep-Alive timeout", async () => {
    const clock = createManualClock();
    const server = useServer(
      await rawServer((socket) => socket.write(okResponse('hi', 'Keep-Alive: timeout=3\r\n'))),
    );
    const pool = usePool(createPool({ clock, idleTimeout: 60_000 }));
    expect((await get(pool, server.origin)).text).toBe('hi');
    await until(() => pool.stats().idle === 1);
    clock.advance(1999);
    expect(pool.stats().idle).toBe(1);
    clock.advance(1);
    await until(() => server.open() === 0);
    expect(pool.stats().open).toBe(0);
  });

  it('closes idle connections after idleTimeout', async () => {
    const clock = createManualClock();
    const server = useServer(await httpServer((_request, response) => response.end('x')));
    const pool = usePool(createPool({ clock, idleTimeout: 500 }));
    await get(pool, server.origin);
    await until(() => pool.stats().idle === 1);
    clock.advance(500);
    await until(() => server.open() === 0);
  });

  it('retires a connection after maxRequestsPerConnection', async () => {
    const server = useServer(await httpServer((_request, response) => response.end('x')));
    const pool = usePool(createPool({ maxRequestsPerConnection: 2 }));
    for (let i = 0; i < 4; i++) await get(pool, server.origin);
    expect(server.accepted()).toBe(2);
  });
});

describe('createPool: stale connections', () => {
  /** Answers the first request on each socket, then closes on the second without a byte. */
  async function staleServer() {
    const bodies: string[] = [];
    const server = useServer(
      await rawServer((socket, index, head, socketNumber) => {
        bodies.push(`${socketNumber}:${head.split(' ')[0]}`);
        if (index === 0) socket.write(okResponse(`socket ${socketNumber}`));
        else socket.destroy();
      }),
    );
    return { server, bodies };
  }

  it('resends an idempotent request once on a fresh connection, transparently', async () => {
    const { server } = await staleServer();
    const pool = usePool(createPool());
    expect((await get(pool, server.origin)).text).toBe('socket 1');
    const second = await get(pool, server.origin);
    expect(second.text).toBe('socket 2');
    expect(second.response.meta.connection?.reused).toBe(false);
    expect(server.accepted()).toBe(2);
  });

  it('does not resend a POST and says why', async () => {
    const { server } = await staleServer();
    const pool = usePool(createPool());
    await get(pool, server.origin);
    const error = await pool
      .request(createRequest({ method: 'POST', url: server.origin, body: 'x' }))
      .catch((e) => e);
    expect(HttpClientError.is(error, 'CONNECTION_CLOSED')).toBe(true);
    expect(error.requestSent).toBe(true);
    expect(error.message).toMatch(/not resent: POST is not idempotent/);
    expect(server.accepted()).toBe(1);
  });

  it('resends a POST that carries an Idempotency-Key', async () => {
    const { server } = await staleServer();
    const pool = usePool(createPool());
    await get(pool, server.origin);
    const request = createRequest({
      method: 'POST',
      url: server.origin,
      headers: { 'Idempotency-Key': 'abc' },
      body: 'x',
    });
    const response = await pool.request(request);
    expect(await response.body.text()).toBe('socket 2');
  });
});

describe('createPool: pipelining', () => {
  it('is off by default: one request in flight per connection', async () => {
    let concurrentOnSocket = 0;
    let maxSeen = 0;
    const server = useServer(
      await rawServer((socket) => {
        concurrentOnSocket++;
        maxSeen = Math.max(maxSeen, concurrentOnSocket);
        setTimeout(() => {
          concurrentOnSocket--;
          socket.write(okResponse('x'));
        }, 5);
      }),
    );
    const pool = usePool(createPool({ connectionsPerOrigin: 1 }));
    await Promise.all(Array.from({ length: 5 }, () => get(pool, server.origin)));
    expect(maxSeen).toBe(1);
  });

  it('pipelines idempotent bodiless requests up to the depth and matches responses in order', async () => {
    let waiting: { socket: import('node:net').Socket; path: string }[] = [];
    const server = useServer(
      await rawServer((socket, _index, head) => {
        waiting.push({ socket, path: head.split(' ')[1] ?? '' });
        if (waiting.length === 4) {
          for (const { socket: target, path } of waiting) target.write(okResponse(path));
          waiting = [];
        }
      }),
    );
    const pool = usePool(createPool({ connectionsPerOrigin: 1, pipelining: 4 }));
    const texts = await Promise.all(Array.from({ length: 8 }, (_, i) => get(pool, `${server.origin}/r${i}`)));
    expect(texts.map((result) => result.text)).toEqual(Array.from({ length: 8 }, (_, i) => `/r${i}`));
    expect(server.accepted()).toBe(1);
  });

  it('never pipelines a POST', async () => {
    let inFlight = 0;
    let maxSeen = 0;
    const server = useServer(
      await rawServer((socket) => {
        inFlight++;
        maxSeen = Math.max(maxSeen, inFlight);
        setTimeout(() => {
          inFlight--;
          socket.write(okResponse('x'));
        }, 5);
      }),
    );
    const pool = usePool(createPool({ connectionsPerOrigin: 1, pipelining: 8 }));
    await Promise.all(
      Array.from({ length: 4 }, () =>
        pool
          .request(createRequest({ method: 'POST', url: server.origin, body: 'b' }))
          .then((r) => r.body.text()),
      ),
    );
    expect(maxSeen).toBe(1);
  });

  it('when the connection breaks mid-pipeline, unanswered GETs are resent and all succeed', async () => {
    const server = useServer(
      await rawServer((socket, index, head, socketNumber) => {
        const path = head.split(' ')[1];
        if (socketNumber === 1 && index === 1) {
          socket.write(okResponse(`${path}`));
          setTimeout(() => socket.destroy(), 10);
        } else if (socketNumber === 1 && index > 1) {
          // swallowed: the socket dies before answering these
        } else {
          socket.write(okResponse(`${path}`));
        }
      }),
    );
    const pool = usePool(createPool({ connectionsPerOrigin: 1, pipelining: 4 }));
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) => get(pool, `${server.origin}/p${i}`)),
    );
    expect(results.map((result) => result.text)).toEqual(['/p0', '/p1', '/p2', '/p3']);
  });
});

describe('createPool: abort, close, destroy', () => {
  it('an aborted queued request leaves the queue at once; an aborted in-flight one frees its slot', async () => {
    const held: (() => void)[] = [];
    const server = useServer(await httpServer((_request, response) => held.push(() => response.end('done'))));
    const pool = usePool(createPool({ connectionsPerOrigin: 1 }));
    const inFlight = new AbortController();
    const first = pool
      .request(createRequest({ url: server.origin, signal: inFlight.signal }))
      .catch((e) => e);
    await until(() => held.length === 1);
    const queuedController = new AbortController();
    const queued = pool
      .request(createRequest({ url: server.origin, signal: queuedController.signal }))
      .catch((e) => e);
    const third = get(pool, server.origin);
    await until(() => pool.stats().queued === 2);
    queuedController.abort('changed my mind');
    const queuedError = await queued;
    expect(HttpClientError.is(queuedError, 'ABORTED')).toBe(true);
    expect(queuedError.requestSent).toBe(false);
    expect(pool.stats().queued).toBe(1);
    inFlight.abort('too slow');
    expect(HttpClientError.is(await first, 'ABORTED')).toBe(true);
    await until(() => held.length === 2);
    held[1]?.();
    expect((await third).text).toBe('done');
  });

  it('close() lets in-flight work finish, refuses new requests, and leaves no socket open', async () => {
    const held: (() => void)[] = [];
    const server = useServer(await httpServer((_request, response) => held.push(() => response.end('late'))));
    const pool = createPool();
    const inFlight = get(pool, server.origin);
    await until(() => held.length === 1);
    const closing = pool.close();
    const refused = await pool.request(createRequest({ url: server.origin })).catch((e) => e);
    expect(HttpClientError.is(refused, 'TRANSPORT_CLOSED')).toBe(true);
    held[0]?.();
    expect((await inFlight).text).toBe('late');
    await closing;
    await until(() => server.open() === 0);
    expect(pool.stats().open).toBe(0);
  });

  it('destroy() fails queued and in-flight requests now and closes every socket', async () => {
    const server = useServer(await httpServer(() => undefined));
    const pool = createPool({ connectionsPerOrigin: 1 });
    const inFlight = pool.request(createRequest({ url: server.origin })).catch((e) => e);
    await until(() => server.open() === 1 && pool.stats().busy === 1);
    const queued = pool.request(createRequest({ url: server.origin })).catch((e) => e);
    await pool.destroy(new Error('shutdown'));
    expect(HttpClientError.is(await queued, 'TRANSPORT_CLOSED')).toBe(true);
    expect(HttpClientError.is(await inFlight)).toBe(true);
    await until(() => server.open() === 0);
  });
});

describe('createPool: scale and observability', () => {
  it('serves 10,000 concurrent requests over 10 connections, each response matched to its request', async () => {
    const server = useServer(
      await rawServer((socket, _index, head) => socket.write(okResponse(head.split(' ')[1] ?? ''))),
    );
    const pool = usePool(createPool({ connectionsPerOrigin: 10, maxQueuedPerOrigin: 20_000 }));
    const count = 10_000;
    const results = await Promise.all(
      Array.from({ length: count }, async (_, i) => (await get(pool, `${server.origin}/id-${i}`)).text),
    );
    for (let i = 0; i < count; i++) expect(results[i]).toBe(`/id-${i}`);
    expect(server.accepted()).toBe(10);
  });

  it('publishes connect, request, headers and body-end events on diagnostics channels', async () => {
    const server = useServer(await httpServer((_request, response) => response.end('x')));
    const seen: string[] = [];
    const listeners = Object.entries(POOL_CHANNELS).map(([name, channel]) => {
      const listener = () => seen.push(name);
      subscribe(channel, listener);
      return () => unsubscribe(channel, listener);
    });
    try {
      const pool = usePool(createPool());
      await get(pool, server.origin);
      await until(() => seen.includes('bodyEnd'));
      expect(seen).toEqual(['connect', 'requestStart', 'responseHeaders', 'bodyEnd']);
    } finally {
      for (const stop of listeners) stop();
    }
  });

  it('fails a request with CONNECT_FAILED (requestSent false) when nothing listens', async () => {
    const server = await httpServer(() => undefined);
    const origin = server.origin;
    await server.close();
    const pool = usePool(createPool());
    const error = await pool.request(createRequest({ url: origin })).catch((e) => e);
    expect(HttpClientError.is(error, 'CONNECT_FAILED')).toBe(true);
    expect(error.requestSent).toBe(false);
    expect(pool.stats()).toMatchObject({ open: 0, connecting: 0, queued: 0 });
  });
});

import {
  type ConnectOptions,
  type ConnectTarget,
  createManualClock,
  createRequest,
  HttpClientError,
  streamBody,
} from '@x/core';
import { tcpConnector } from '@x/protocol';
import { httpServer, okResponse, rawServer, type TrackedServer, until } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { createPool } from '../src/index.js';
import { closedAfterEach } from './support/closed-after-each.js';

/**
 * SECURITY.md rules 4, 14, 15 and 17 for the pool, on real 127.0.0.1
 * servers. Each test fails if the protection it names is removed.
 */

const { usePool, useServer } = closedAfterEach();

/** Answers the first request on each socket, then closes on the second without a byte. */
async function staleServer(): Promise<TrackedServer> {
  return useServer(
    await rawServer((socket, index, _head, socketNumber) => {
      if (index === 0) socket.write(okResponse(`socket ${socketNumber}`));
      else socket.destroy();
    }),
  );
}

describe('stale-connection resend needs a replayable body (rule 14)', () => {
  it('does not resend a PUT whose one-shot body was already streamed', async () => {
    const server = await staleServer();
    const pool = usePool(createPool());
    await (await pool.request(createRequest({ url: server.origin }))).body.text();
    const body = streamBody(
      (async function* () {
        yield new TextEncoder().encode('once');
      })(),
    );
    const error = await pool
      .request(createRequest({ method: 'PUT', url: server.origin, body }))
      .catch((caught: unknown) => caught);
    expect(HttpClientError.is(error, 'CONNECTION_CLOSED')).toBe(true);
    expect((error as HttpClientError).requestSent).toBe(true);
    expect((error as HttpClientError).message).toMatch(/body cannot be replayed/);
    expect(server.accepted()).toBe(1);
  });

  it('resends the same PUT once when its body is replayable', async () => {
    const server = await staleServer();
    const pool = usePool(createPool());
    await (await pool.request(createRequest({ url: server.origin }))).body.text();
    const response = await pool.request(createRequest({ method: 'PUT', url: server.origin, body: 'again' }));
    expect(await response.body.text()).toBe('socket 2');
    expect(server.accepted()).toBe(2);
  });
});

describe('the pool key carries the connector identity (rule 15)', () => {
  it('never reuses a connection made under another connector key', async () => {
    const server = useServer(await httpServer((_request, response) => response.end('ok')));
    const plain = tcpConnector();
    let identity = 'client-certificate-A';
    const connector = Object.assign(
      (target: ConnectTarget, options: ConnectOptions) => plain(target, options),
      { poolKey: () => identity },
    );
    const pool = usePool(createPool({ connector }));
    const text = async () => (await pool.request(createRequest({ url: `${server.origin}/` }))).body.text();
    await text();
    identity = 'client-certificate-B';
    await text();
    expect(server.accepted()).toBe(2);
    identity = 'client-certificate-A';
    await text();
    expect(server.accepted()).toBe(2);
    expect(pool.stats().origins).toHaveLength(2);
  });
});

describe('pool options and a polluted Object.prototype (rule 4)', () => {
  it('ignores an inherited connector and pool key', async () => {
    const server = useServer(await httpServer((_request, response) => response.end('ok')));
    const prototype = Object.prototype as Record<string, unknown>;
    let hostileCalls = 0;
    prototype.connector = () => {
      hostileCalls++;
      return Promise.reject(new Error('hostile connector'));
    };
    prototype.poolKey = 'shared';
    try {
      const pool = usePool(createPool({}));
      const response = await pool.request(createRequest({ url: `${server.origin}/` }));
      expect(await response.body.text()).toBe('ok');
      expect(hostileCalls).toBe(0);
    } finally {
      delete prototype.connector;
      delete prototype.poolKey;
    }
  });

  it('keeps the queue deadline when Object.prototype.queue is set and the request has a timeout object', async () => {
    const server = useServer(await httpServer(() => undefined));
    const pool = usePool(createPool({ connectionsPerOrigin: 1, queueTimeout: 50 }));
    const hung = pool.request(createRequest({ url: server.origin })).catch(() => undefined);
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.queue = 1e12;
    try {
      const waiting = createRequest({ url: server.origin, options: { timeout: { total: 60_000 } } });
      const error = await pool.request(waiting).catch((caught: unknown) => caught);
      expect(HttpClientError.is(error, 'TIMEOUT')).toBe(true);
      expect(error).toMatchObject({ phase: 'queue', requestSent: false });
    } finally {
      delete prototype.queue;
    }
    await pool.destroy();
    await hung;
  });
});

describe('finite timeouts by default (rule 17)', () => {
  it('a server that never answers fails with a headers TIMEOUT and its socket is closed', async () => {
    let heads = 0;
    const server = useServer(
      await rawServer(() => {
        heads++;
      }),
    );
    const clock = createManualClock();
    const pool = usePool(createPool({ clock }));
    const pending = pool.request(createRequest({ url: server.origin }));
    pending.catch(() => undefined);
    await until(() => heads === 1);
    clock.advance(60_000);
    const error = await pending.catch((caught: unknown) => caught);
    expect(HttpClientError.is(error, 'TIMEOUT')).toBe(true);
    expect((error as HttpClientError).phase).toBe('headers');
    await until(() => server.open() === 0);
  });
});

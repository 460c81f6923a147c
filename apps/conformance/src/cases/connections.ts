import assert from 'node:assert/strict';
import { expectHttpError, pause, readEcho } from '../assertions.js';
import type { ConformanceCase } from '../case.js';

const area = 'connections';

export const connectionCases: readonly ConformanceCase[] = [
  {
    id: 'connections/concurrent',
    area,
    title: 'Eight concurrent requests on one transport all complete with their own answers',
    requires: ['http'],
    async run({ send, servers }) {
      const replies = await Promise.all(
        Array.from({ length: 8 }, async (_, index) =>
          readEcho(
            await send({
              method: 'POST',
              url: new URL(`/echo?n=${index}`, servers.http),
              body: `body ${index}`,
            }),
          ),
        ),
      );
      replies.forEach((reply, index) => {
        assert.equal(reply.target, `/echo?n=${index}`);
        assert.equal(reply.body, `body ${index}`);
      });
    },
  },
  {
    id: 'connections/closed-transport',
    area,
    title: 'After close(), a request fails with TRANSPORT_CLOSED, requestSent false; close() is idempotent',
    requires: ['http'],
    async run({ transport, send, servers }) {
      const response = await send({ url: new URL('/status/200', servers.http) });
      await response.body.text();
      await transport.close();
      await transport.close();
      await expectHttpError(send({ url: new URL('/status/200', servers.http) }), {
        code: 'TRANSPORT_CLOSED',
        requestSent: false,
      });
    },
  },
  {
    id: 'connections/reuse',
    area,
    title: 'Sequential requests reuse one connection, and say so in meta.connection (RFC 9112 §9.3)',
    requires: ['http', 'wire', 'connection-reuse'],
    async run({ send, servers }) {
      const first = await send({ url: new URL('/echo', servers.http) });
      const firstReply = await readEcho(first);
      const second = await send({ url: new URL('/echo', servers.http) });
      const secondReply = await readEcho(second);
      assert.equal(secondReply.connectionId, firstReply.connectionId, 'the server saw two connections');
      assert.equal(first.meta.connection?.reused, false);
      assert.equal(second.meta.connection?.reused, true);
    },
  },
  {
    id: 'connections/no-reuse-after-truncation',
    area,
    title: 'A connection whose body was cancelled is not reused with bytes pending (RFC 9112 §9.6)',
    requires: ['http', 'wire', 'connection-reuse'],
    async run({ send, servers }) {
      const large = await send({ url: new URL('/large?size=8388608', servers.http) });
      await large.body[Symbol.asyncIterator]().next();
      await large.body.cancel();
      const reply = await readEcho(await send({ url: new URL('/echo', servers.http) }));
      assert.equal(reply.method, 'GET', 'the next response is its own, not leftover body bytes');
    },
  },
  {
    id: 'connections/pipelining',
    area,
    title:
      'Three concurrent GETs are in flight together on one connection, answered in order (RFC 9112 §9.3.2)',
    requires: ['http', 'wire', 'pipelining'],
    async run({ send, servers }) {
      // The raw server holds its answers until three request heads arrived on the same connection.
      const bodies = await Promise.all(
        [1, 2, 3].map(async (index) =>
          (await send({ url: new URL(`/pipeline?n=${index}`, servers.raw) })).body.text(),
        ),
      );
      bodies.forEach((body, index) => {
        assert.ok(
          body.startsWith(`/pipeline?n=${index + 1} `),
          `response ${index + 1} was ${JSON.stringify(body)}`,
        );
        assert.ok(body.includes(' seen=3 '), `the server never had the three requests at once: ${body}`);
      });
      const connections = new Set(bodies.map((body) => body.split('connection=')[1]));
      assert.equal(connections.size, 1, `used ${connections.size} connections`);
    },
  },
  {
    id: 'connections/idle-closed-by-server',
    area,
    title:
      'A kept-alive connection the server closed while idle: the next GET still succeeds (RFC 9112 §9.3.1)',
    requires: ['http', 'wire', 'connection-reuse'],
    async run({ send, servers, signal }) {
      const first = await send({ url: new URL('/close-when-idle', servers.raw) });
      assert.equal(await first.body.text(), 'kept alive?');
      await pause(100, signal);
      const second = await send({ url: new URL('/connection-id', servers.raw) });
      assert.ok((await second.body.text()).startsWith('fresh'));
    },
  },
  {
    id: 'connections/stale-post-not-resent',
    area,
    title:
      'A POST on a reused connection that drops before any response byte is not resent (SECURITY.md §14)',
    requires: ['http', 'wire', 'connection-reuse'],
    async run({ send, servers }) {
      const url = new URL('/reuse-then-drop?key=post', servers.raw);
      const first = await send({ url });
      assert.equal(await first.body.text(), 'first');
      // Goes out on the kept-alive connection, which the server then drops (RFC 9112 §9.3.1).
      await expectHttpError(send({ method: 'POST', url, body: 'pay once' }), { code: 'CONNECTION_CLOSED' });
      const attempts = await send({ url: new URL('/attempts?key=post', servers.raw) });
      assert.equal(await attempts.body.text(), '2', 'the server must have seen the GET and one POST');
    },
  },
  {
    id: 'connections/upgrade',
    area,
    title:
      'A 101 to an upgrade request hands over the socket; bytes flow both ways; the transport goes on (RFC 9110 §7.8)',
    requires: ['http', 'wire', 'upgrade'],
    async run({ send, servers }) {
      const response = await send({
        url: new URL('/echo', servers.http),
        headers: { Connection: 'Upgrade', Upgrade: 'echo-upper' },
        options: { http1: { upgrade: true } },
      });
      assert.equal(response.status, 101);
      const upgrade = (
        response.meta as { upgrade?: { socket: import('node:stream').Duplex; head: Uint8Array } }
      ).upgrade;
      assert.ok(upgrade !== undefined, 'meta.upgrade carries the socket');
      const socket = upgrade.socket;
      try {
        socket.on('error', () => undefined);
        const answer = new Promise<string>((resolve, reject) => {
          let text = Buffer.from(upgrade.head).toString('latin1');
          const onData = (bytes: Buffer) => {
            text += bytes.toString('latin1');
            if (text.length >= 11) resolve(text);
          };
          socket.on('data', onData);
          socket.once('close', () => reject(new Error(`closed after ${JSON.stringify(text)}`)));
        });
        socket.resume();
        socket.write('hello world');
        assert.equal(await answer, 'HELLO WORLD');
      } finally {
        socket.destroy();
      }
      // The upgraded connection left the transport; the next request gets another one.
      const reply = await readEcho(await send({ url: new URL('/echo', servers.http) }));
      assert.equal(reply.method, 'GET');
    },
  },
  {
    id: 'connections/unasked-upgrade',
    area,
    title: 'A 101 the request did not ask for is PROTOCOL_ERROR, never a response (RFC 9110 §15.2.2)',
    requires: ['http', 'wire', 'upgrade'],
    async run({ send, servers }) {
      await expectHttpError(send({ url: new URL('/unasked-101', servers.raw) }), { code: 'PROTOCOL_ERROR' });
    },
  },
];

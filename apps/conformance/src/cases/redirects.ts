import assert from 'node:assert/strict';
import { HttpClientError, type HttpResponse, streamBody } from '@x/core';
import { echoed, readEcho } from '../assertions.js';
import type { ConformanceCase } from '../case.js';

const area = 'redirects';

export const redirectCases: readonly ConformanceCase[] = [
  {
    id: 'redirect/follows-302',
    area,
    title: 'A 302 is followed; response.url is the final URL',
    requires: ['http', 'redirects'],
    async run({ send, servers }) {
      const response = await send({ url: new URL('/redirect/302?to=/echo%3Fafter=1', servers.http) });
      const reply = await readEcho(response);
      assert.equal(reply.target, '/echo?after=1');
      assert.equal(response.url.pathname, '/echo');
    },
  },
  {
    id: 'redirect/relative-location',
    area,
    title: 'A relative Location is resolved against the request URL (RFC 9110 §10.2.2, RFC 3986 §5)',
    requires: ['http', 'redirects'],
    async run({ send, servers }) {
      const response = await send({
        url: new URL('/redirect/302?to=..%2Fecho%3Frelative%3D1', servers.http),
      });
      const reply = await readEcho(response);
      assert.equal(reply.target, '/echo?relative=1');
    },
  },
  {
    id: 'redirect/303-becomes-get',
    area,
    title: '303 after POST: GET without the body or its content headers (RFC 9110 §15.4.4)',
    requires: ['http', 'redirects'],
    async run({ send, servers }) {
      const reply = await readEcho(
        await send({
          method: 'POST',
          url: new URL('/redirect/303?to=/echo', servers.http),
          body: 'form data',
        }),
      );
      assert.equal(reply.method, 'GET');
      assert.equal(reply.bodyLength, 0);
      assert.deepEqual(echoed(reply, 'content-type'), []);
    },
  },
  {
    id: 'redirect/307-keeps-method-and-body',
    area,
    title: '307 repeats the method and a replayable body (RFC 9110 §15.4.8)',
    requires: ['http', 'redirects'],
    async run({ send, servers }) {
      const reply = await readEcho(
        await send({
          method: 'PUT',
          url: new URL('/redirect/307?to=/echo', servers.http),
          body: 'same body',
        }),
      );
      assert.equal(reply.method, 'PUT');
      assert.equal(reply.body, 'same body');
    },
  },
  {
    id: 'redirect/cross-origin-drops-credentials',
    area,
    title: 'A cross-origin hop drops Authorization and Cookie (SECURITY.md §22)',
    requires: ['http', 'redirects'],
    async run({ send, servers }) {
      // 127.0.0.1 and localhost are different origins (RFC 6454) on the same server.
      const target = new URL('/echo', servers.http);
      target.hostname = 'localhost';
      const reply = await readEcho(
        await send({
          url: new URL(`/redirect/302?to=${encodeURIComponent(target.href)}`, servers.http),
          headers: { Authorization: 'Bearer secret', Cookie: 'session=secret', 'X-Harmless': 'kept' },
        }),
      );
      assert.deepEqual(echoed(reply, 'authorization'), []);
      assert.deepEqual(echoed(reply, 'cookie'), []);
      assert.deepEqual(echoed(reply, 'x-harmless'), ['kept']);
    },
  },
  {
    id: 'redirect/same-origin-keeps-credentials',
    area,
    title: 'A same-origin hop keeps Authorization',
    requires: ['http', 'redirects'],
    async run({ send, servers }) {
      const reply = await readEcho(
        await send({
          url: new URL('/redirect/302?to=/echo', servers.http),
          headers: { Authorization: 'Bearer secret' },
        }),
      );
      assert.deepEqual(echoed(reply, 'authorization'), ['Bearer secret']);
    },
  },
  {
    id: 'redirect/loop-is-bounded',
    area,
    title: 'A redirect loop ends in a typed error, never a hang (SECURITY.md §25)',
    requires: ['http', 'redirects'],
    async run({ send, servers }) {
      let status: number | undefined;
      try {
        const response = await send({ url: new URL('/redirect-loop', servers.http) });
        status = response.status;
        await response.body.cancel();
      } catch (error) {
        assert.ok(HttpClientError.is(error), `rejected with ${String(error)}, not an HttpClientError`);
      }
      if (status !== undefined) assert.fail(`a redirect loop resolved with ${status}`);
    },
  },
  {
    id: 'redirect/no-https-downgrade',
    area,
    title: 'https → http is not followed by default (SECURITY.md §23)',
    requires: ['http', 'https', 'redirects'],
    async run({ send, servers }) {
      const downgrade = new URL('/echo?case=downgrade', servers.http);
      let followed = false;
      try {
        const response = await send({
          url: new URL(`/redirect/302?to=${encodeURIComponent(downgrade.href)}`, servers.https),
        });
        followed = response.status === 200;
        await response.body.cancel();
      } catch (error) {
        assert.ok(HttpClientError.is(error), `rejected with ${String(error)}, not an HttpClientError`);
      }
      assert.equal(followed, false, 'the downgrade was followed');
      assert.equal(
        servers.state.hits.get('target:/echo?case=downgrade') ?? 0,
        0,
        'the http URL was requested',
      );
    },
  },
  {
    id: 'redirect/307-one-shot-body',
    area,
    title:
      '307 with a one-shot body: the same bytes again or a typed error, never an empty body (SECURITY.md §24)',
    requires: ['http', 'redirects', 'streamed-request-body'],
    async run({ send, servers }) {
      const body = streamBody(
        (async function* () {
          yield new TextEncoder().encode('only once');
        })(),
      );
      let response: HttpResponse;
      try {
        response = await send({ method: 'POST', url: new URL('/redirect/307?to=/echo', servers.http), body });
      } catch (error) {
        assert.ok(HttpClientError.is(error), `rejected with ${String(error)}, not an HttpClientError`);
        return;
      }
      if (response.status === 307) {
        // Not following is allowed too, as long as nothing was sent without its body.
        await response.body.cancel();
        return;
      }
      const reply = await readEcho(response);
      assert.equal(reply.method, 'POST');
      assert.equal(reply.body, 'only once');
    },
  },
  {
    id: 'redirect/301-post-becomes-get',
    area,
    title: '301 after POST may become GET; if it does, the body and its headers go (RFC 9110 §15.4.2)',
    requires: ['http', 'redirects'],
    async run({ send, servers }) {
      const reply = await readEcho(
        await send({ method: 'POST', url: new URL('/redirect/301?to=/echo', servers.http), body: 'posted' }),
      );
      if (reply.method === 'GET') {
        assert.equal(reply.bodyLength, 0);
        assert.deepEqual(echoed(reply, 'content-length'), []);
        assert.deepEqual(echoed(reply, 'content-type'), []);
      } else {
        assert.equal(reply.method, 'POST');
        assert.equal(reply.body, 'posted');
      }
    },
  },
];

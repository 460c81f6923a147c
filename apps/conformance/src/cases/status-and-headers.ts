import assert from 'node:assert/strict';
import { echoed, readEcho } from '../assertions.js';
import type { ConformanceCase } from '../case.js';

const area = 'status-and-headers';

export const statusAndHeadersCases: readonly ConformanceCase[] = [
  {
    id: 'status/codes-are-responses',
    area,
    title: '2xx, 4xx and 5xx are responses with readable bodies, never errors',
    requires: ['http'],
    async run({ send, servers }) {
      for (const status of [200, 201, 202, 299, 400, 404, 418, 500, 503, 599]) {
        const response = await send({ url: new URL(`/status/${status}`, servers.http) });
        assert.equal(response.status, status);
        assert.equal(await response.body.text(), `status ${status}`);
      }
    },
  },
  {
    id: 'status/custom-reason',
    area,
    title: 'A custom reason phrase is kept as sent (RFC 9112 §4)',
    requires: ['http'],
    async run({ send, servers }) {
      const response = await send({
        url: new URL('/status/299?reason=Quite+Unusual%2C+Really', servers.http),
      });
      assert.equal(response.status, 299);
      assert.equal(response.reason, 'Quite Unusual, Really');
      await response.body.cancel();
    },
  },
  {
    id: 'status/http-version',
    area,
    title: 'httpVersion is "1.1" for an HTTP/1.1 response',
    requires: ['http'],
    async run({ send, servers }) {
      const response = await send({ url: new URL('/status/200', servers.http) });
      assert.equal(response.httpVersion, '1.1');
      await response.body.cancel();
    },
  },
  {
    id: 'status/response-url',
    area,
    title: 'response.url is the request URL when nothing redirected',
    requires: ['http'],
    async run({ send, servers }) {
      const url = new URL('/status/200?x=1', servers.http);
      const response = await send({ url });
      await response.body.cancel();
      assert.equal(response.url.href, url.href);
    },
  },
  {
    id: 'headers/repeated-response',
    area,
    title: 'Repeated response fields stay separate lines; get() joins them with ", " (RFC 9110 §5.3)',
    requires: ['http', 'field-lines'],
    async run({ send, servers }) {
      const response = await send({ url: new URL('/repeated-headers', servers.http) });
      await response.body.cancel();
      assert.deepEqual(response.headers.getAll('x-repeated'), ['first', 'second']);
      assert.equal(response.headers.get('X-Repeated'), 'first, second');
      assert.deepEqual(response.headers.getAll('set-cookie'), ['a=1; Path=/', 'b=2; Path=/']);
    },
  },
  {
    id: 'headers/odd-case-response',
    area,
    title: 'Response field names keep their wire casing and match case-insensitively',
    requires: ['http', 'wire'],
    async run({ send, servers }) {
      const response = await send({ url: new URL('/repeated-headers', servers.http) });
      await response.body.cancel();
      const names = [...response.headers].map(([name]) => name);
      assert.ok(names.includes('X-ODD-case-Header'), `names seen: ${names.join(', ')}`);
      assert.equal(response.headers.get('x-odd-CASE-header'), 'Kept');
    },
  },
  {
    id: 'headers/odd-case-request',
    area,
    title: 'Request field names go on the wire with the casing given',
    requires: ['http', 'wire'],
    async run({ send, servers }) {
      const reply = await readEcho(
        await send({ url: new URL('/echo', servers.http), headers: [['X-MiXeD-CaSe', 'value']] }),
      );
      const names = reply.headers.map(([name]) => name);
      assert.ok(names.includes('X-MiXeD-CaSe'), `names received: ${names.join(', ')}`);
    },
  },
  {
    id: 'headers/repeated-request',
    area,
    title: 'Repeated request fields all reach the server, in order',
    requires: ['http'],
    async run({ send, servers }) {
      const reply = await readEcho(
        await send({
          url: new URL('/echo', servers.http),
          headers: [
            ['X-Multi', 'a'],
            ['X-Other', 'between'],
            ['X-Multi', 'b'],
          ],
        }),
      );
      // Separate lines or one combined line are equivalent (RFC 9110 §5.3); the order is not.
      assert.equal(echoed(reply, 'x-multi').join(', '), 'a, b');
      assert.deepEqual(echoed(reply, 'x-other'), ['between']);
    },
  },
];

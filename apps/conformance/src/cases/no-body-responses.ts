import assert from 'node:assert/strict';
import type { ConformanceCase } from '../case.js';

const area = 'no-body-responses';

export const noBodyCases: readonly ConformanceCase[] = [
  {
    id: 'no-body/head',
    area,
    title: 'HEAD: Content-Length is kept, the body is empty (RFC 9110 §9.3.2)',
    requires: ['http'],
    async run({ send, servers }) {
      const response = await send({ method: 'HEAD', url: new URL('/large?size=5000', servers.http) });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-length'), '5000');
      assert.equal((await response.body.bytes()).byteLength, 0);
    },
  },
  {
    id: 'no-body/204',
    area,
    title: '204 No Content has an empty body (RFC 9110 §15.3.5)',
    requires: ['http'],
    async run({ send, servers }) {
      const response = await send({ url: new URL('/status/204', servers.http) });
      assert.equal(response.status, 204);
      assert.equal((await response.body.bytes()).byteLength, 0);
    },
  },
  {
    id: 'no-body/304',
    area,
    title: '304 Not Modified has an empty body (RFC 9110 §15.4.5)',
    requires: ['http'],
    async run({ send, servers }) {
      const response = await send({ url: new URL('/status/304', servers.http) });
      assert.equal(response.status, 304);
      assert.equal(response.headers.get('etag'), '"s"');
      assert.equal((await response.body.bytes()).byteLength, 0);
    },
  },
  {
    id: 'no-body/head-with-length-raw',
    area,
    title: 'HEAD answered with Content-Length: 1000 and no bytes completes at once (socket kept open)',
    requires: ['http', 'strict-framing'],
    async run({ send, servers }) {
      const response = await send({ method: 'HEAD', url: new URL('/head-with-length', servers.raw) });
      assert.equal(response.headers.get('content-length'), '1000');
      assert.equal((await response.body.bytes()).byteLength, 0);
    },
  },
  {
    id: 'no-body/304-with-length-raw',
    area,
    title: '304 with Content-Length: 1000 and no bytes completes at once (socket kept open)',
    requires: ['http', 'strict-framing'],
    async run({ send, servers }) {
      const response = await send({ url: new URL('/length-without-body', servers.raw) });
      assert.equal(response.status, 304);
      assert.equal((await response.body.bytes()).byteLength, 0);
    },
  },
];

import assert from 'node:assert/strict';
import type { ConformanceCase } from '../case.js';

const area = 'cache';

export const cacheCases: readonly ConformanceCase[] = [
  {
    id: 'cache/fresh-from-store',
    area,
    title: 'A fresh response (max-age) is served again without reaching the server (RFC 9111 §4.2)',
    requires: ['http', 'cache'],
    async run({ send, servers }) {
      const url = new URL('/cache/fresh?key=fresh-from-store', servers.http);
      assert.equal(await (await send({ url })).body.text(), 'fresh body 1');
      assert.equal(await (await send({ url })).body.text(), 'fresh body 1');
    },
  },
  {
    id: 'cache/revalidates-with-etag',
    area,
    title:
      'no-cache with an ETag: revalidated with If-None-Match, a 304 gives the stored body (RFC 9111 §4.3)',
    requires: ['http', 'cache'],
    async run({ send, servers }) {
      const url = new URL('/cache/etag?key=revalidate', servers.http);
      assert.equal(await (await send({ url })).body.text(), 'etag body 1');
      const second = await send({ url });
      assert.equal(second.status, 200, 'the 304 is turned back into the stored 200');
      assert.equal(await second.body.text(), 'etag body 1');
      assert.equal(servers.state.hits.get('etag:revalidate'), 2, 'the second request must reach the server');
    },
  },
  {
    id: 'cache/no-store',
    area,
    title: 'no-store responses are never reused (RFC 9111 §5.2.2.5)',
    requires: ['http', 'cache'],
    async run({ send, servers }) {
      const url = new URL('/cache/no-store?key=no-store', servers.http);
      assert.equal(await (await send({ url })).body.text(), 'no-store body 1');
      assert.equal(await (await send({ url })).body.text(), 'no-store body 2');
    },
  },
  {
    id: 'cache/post-not-reused',
    area,
    title: 'A POST response is not served to a later POST (RFC 9111 §2, SECURITY.md §30)',
    requires: ['http', 'cache'],
    async run({ send, servers }) {
      const url = new URL('/cache/fresh?key=post', servers.http);
      assert.equal(await (await send({ method: 'POST', url, body: 'a' })).body.text(), 'fresh body 1');
      assert.equal(await (await send({ method: 'POST', url, body: 'a' })).body.text(), 'fresh body 2');
    },
  },
];

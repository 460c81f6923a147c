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
  {
    id: 'cache/unsafe-method-invalidates',
    area,
    title: 'A successful POST to a stored URL invalidates it (RFC 9111 §4.4)',
    requires: ['http', 'cache'],
    async run({ send, servers }) {
      const url = new URL('/cache/fresh?key=invalidate', servers.http);
      assert.equal(await (await send({ url })).body.text(), 'fresh body 1');
      assert.equal(await (await send({ method: 'POST', url, body: 'change' })).body.text(), 'fresh body 2');
      assert.equal(
        await (await send({ url })).body.text(),
        'fresh body 3',
        'the stale stored response was served',
      );
    },
  },
  {
    id: 'cache/head-of-stored-body',
    area,
    title: 'A stored response is replayed with its status, headers and full body (RFC 9111 §4)',
    requires: ['http', 'cache'],
    async run({ send, servers }) {
      const url = new URL('/cache/fresh?key=replay', servers.http);
      const first = await send({ url });
      const firstText = await first.body.text();
      const second = await send({ url });
      assert.equal(second.status, first.status);
      assert.equal(second.headers.get('content-type'), first.headers.get('content-type'));
      assert.equal(second.headers.get('cache-control'), 'max-age=600');
      assert.equal(await second.body.text(), firstText);
      assert.equal(servers.state.hits.get('fresh:replay'), 1, 'the second request reached the server');
    },
  },
  {
    id: 'cache/vary',
    area,
    title:
      'A response with Vary: X-Variant is not served to a request with another X-Variant (RFC 9111 §4.1)',
    requires: ['http', 'cache'],
    async run({ send, servers }) {
      const url = new URL('/cache/vary?key=vary', servers.http);
      const first = await send({ url, headers: { 'X-Variant': 'a' } });
      assert.equal(await first.body.text(), 'variant a body 1');
      const other = await send({ url, headers: { 'X-Variant': 'b' } });
      assert.equal(await other.body.text(), 'variant b body 2');
    },
  },
];

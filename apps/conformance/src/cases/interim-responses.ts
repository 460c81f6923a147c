import assert from 'node:assert/strict';
import { expectHttpError, readEcho } from '../assertions.js';
import type { ConformanceCase } from '../case.js';

const area = 'interim-responses';

export const interimCases: readonly ConformanceCase[] = [
  {
    id: 'interim/103-early-hints',
    area,
    title: '103 Early Hints is skipped; the final 200 is the response (RFC 9110 §15.2, RFC 8297)',
    requires: ['http', 'interim-responses'],
    async run({ send, servers }) {
      const response = await send({ url: new URL('/early-hints', servers.http) });
      assert.equal(response.status, 200);
      assert.equal(await response.body.text(), 'after hints');
      assert.equal(response.headers.get('link'), null, 'interim fields must not leak into the final headers');
    },
  },
  {
    id: 'interim/unsolicited-100',
    area,
    title: 'An unsolicited 100 Continue is skipped (RFC 9110 §15.2.1)',
    requires: ['http', 'interim-responses'],
    async run({ send, servers }) {
      const response = await send({ url: new URL('/unsolicited-continue', servers.http) });
      assert.equal(response.status, 200);
      assert.equal(await response.body.text(), 'after continue');
    },
  },
  {
    id: 'interim/expect-continue',
    area,
    title: 'A request with Expect: 100-continue gets its body through and the final response back',
    requires: ['http', 'interim-responses'],
    async run({ send, servers }) {
      const response = await send({
        method: 'POST',
        url: new URL('/echo', servers.http),
        headers: { Expect: '100-continue' },
        body: 'after the go-ahead',
      });
      const reply = await readEcho(response);
      assert.equal(reply.body, 'after the go-ahead');
    },
  },
  {
    id: 'interim/too-many',
    area,
    title: '200 interim responses in a row hit the interim cap: LIMIT_EXCEEDED (SECURITY.md §9)',
    requires: ['http', 'interim-responses', 'strict-framing'],
    async run({ send, servers }) {
      await expectHttpError(send({ url: new URL('/many-interim', servers.raw) }), {
        code: 'LIMIT_EXCEEDED',
        requestSent: true,
      });
    },
  },
];

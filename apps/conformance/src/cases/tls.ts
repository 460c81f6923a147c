import assert from 'node:assert/strict';
import { expectHttpError, readEcho } from '../assertions.js';
import type { ConformanceCase } from '../case.js';

const area = 'tls';

export const tlsCases: readonly ConformanceCase[] = [
  {
    id: 'tls/trusted',
    area,
    title: 'HTTPS to a server whose certificate chains to the given CA',
    requires: ['https'],
    async run({ send, servers }) {
      const reply = await readEcho(
        await send({ method: 'POST', url: new URL('/echo', servers.https), body: 'over tls' }),
      );
      assert.equal(reply.body, 'over tls');
    },
  },
  {
    id: 'tls/untrusted-issuer',
    area,
    title: 'A self-signed certificate: TLS_FAILED before any request byte (SECURITY.md §27)',
    requires: ['https', 'tls-verification'],
    async run({ send, servers }) {
      await expectHttpError(send({ url: new URL('/echo', servers.untrustedHttps) }), {
        code: 'TLS_FAILED',
        requestSent: false,
      });
    },
  },
  {
    id: 'tls/wrong-host',
    area,
    title: 'A trusted certificate for another name: TLS_FAILED, requestSent false (RFC 9110 §4.3.4)',
    requires: ['https', 'tls-verification'],
    async run({ send, servers }) {
      await expectHttpError(send({ url: new URL('/echo', servers.wrongHostHttps) }), {
        code: 'TLS_FAILED',
        requestSent: false,
      });
    },
  },
  {
    id: 'tls-policy/pin-match',
    area,
    title: 'The pinned key: the request goes through',
    requires: ['https', 'tls-policy'],
    async run({ send, servers }) {
      const response = await send({ url: new URL('/status/200', servers.https) });
      assert.equal(await response.body.text(), 'status 200');
    },
  },
  {
    id: 'tls-policy/pin-mismatch',
    area,
    title: 'A valid chain with another key than the pin: TLS_FAILED, requestSent false',
    requires: ['https', 'tls-policy'],
    async run({ send, servers }) {
      await expectHttpError(send({ url: new URL('/status/200', servers.otherKeyHttps) }), {
        code: 'TLS_FAILED',
        requestSent: false,
      });
    },
  },
];

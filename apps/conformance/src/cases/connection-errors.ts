import assert from 'node:assert/strict';
import { expectBodyError, expectHttpError } from '../assertions.js';
import type { ConformanceCase } from '../case.js';

const area = 'connection-errors';

export const connectionErrorCases: readonly ConformanceCase[] = [
  {
    id: 'errors/connection-refused',
    area,
    title: 'Nothing listening: CONNECT_FAILED, requestSent false',
    requires: ['http', 'socket-errors', 'direct-connect'],
    async run({ send, servers }) {
      await expectHttpError(send({ url: new URL('/echo', servers.refused) }), {
        code: 'CONNECT_FAILED',
        requestSent: false,
      });
    },
  },
  {
    id: 'errors/dns-failure',
    area,
    title: 'A name under .invalid (RFC 6761 §6.4): DNS_FAILED, requestSent false',
    requires: ['http', 'socket-errors'],
    async run({ send, servers }) {
      const error = await expectHttpError(send({ url: new URL('/echo', servers.unresolvable) }), {
        code: 'DNS_FAILED',
        requestSent: false,
      });
      assert.ok(error.url?.includes('.invalid'), 'the error names the URL');
    },
  },
  {
    id: 'errors/close-before-head',
    area,
    title: 'The server closes after reading the request: CONNECTION_CLOSED, requestSent true',
    requires: ['http', 'socket-errors'],
    async run({ send, servers }) {
      await expectHttpError(send({ url: new URL('/close-before-head', servers.raw) }), {
        code: 'CONNECTION_CLOSED',
        requestSent: true,
      });
    },
  },
  {
    id: 'errors/close-mid-body',
    area,
    title: 'The server closes mid-body: reading fails, never a short success (SECURITY.md §12)',
    requires: ['http', 'socket-errors'],
    async run({ send, servers }) {
      const response = await send({ url: new URL('/close-mid-body', servers.http) });
      assert.equal(response.status, 200);
      // RFC 9112 §8: an incomplete message. Either code is honest; a short success is not.
      await expectBodyError(response, { code: ['CONNECTION_CLOSED', 'PROTOCOL_ERROR'] });
      await expectHttpError(response.trailers, { code: ['CONNECTION_CLOSED', 'PROTOCOL_ERROR'] }, 'trailers');
    },
  },
  {
    id: 'errors/reset-mid-body',
    area,
    title: 'A TCP reset mid-body: reading fails with CONNECTION_CLOSED',
    requires: ['http', 'socket-errors'],
    async run({ send, servers }) {
      const response = await send({ url: new URL('/reset-mid-body', servers.raw) });
      await expectBodyError(response, { code: 'CONNECTION_CLOSED' });
    },
  },
];

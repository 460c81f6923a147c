import assert from 'node:assert/strict';
import { streamBody } from '@x/core';
import { expectHttpError } from '../assertions.js';
import type { ConformanceCase } from '../case.js';

const area = 'retries';

export const retryCases: readonly ConformanceCase[] = [
  {
    id: 'retry/get-after-connection-drop',
    area,
    title: 'A GET whose connection dropped before any response byte is retried (RFC 9110 §9.2.2)',
    requires: ['http', 'socket-errors', 'retries'],
    async run({ send, servers }) {
      const response = await send({ url: new URL('/fail-once?key=get', servers.raw) });
      assert.equal(response.status, 200);
      assert.equal(await response.body.text(), 'attempt 2');
    },
  },
  {
    id: 'retry/post-not-retried',
    area,
    title:
      'A POST whose connection dropped after sending is not retried: CONNECTION_CLOSED, requestSent true',
    requires: ['http', 'socket-errors', 'retries'],
    async run({ send, servers }) {
      const url = new URL('/fail-once?key=post', servers.raw);
      await expectHttpError(send({ method: 'POST', url, body: 'charge the card' }), {
        code: 'CONNECTION_CLOSED',
        requestSent: true,
      });
      // The server saw exactly one attempt: the next request is the second.
      const check = await send({ url });
      assert.equal(await check.body.text(), 'attempt 2', 'the POST was sent more than once');
    },
  },
  {
    id: 'retry/503-retry-after',
    area,
    title: 'A 503 with Retry-After: 0 on a GET is retried once and the 200 returned',
    requires: ['http', 'retries'],
    async run({ send, servers }) {
      const response = await send({ url: new URL('/flaky-status?key=get', servers.http) });
      assert.equal(response.status, 200);
      assert.equal(await response.body.text(), 'attempt 2');
    },
  },
  {
    id: 'retry/one-shot-body-not-retried',
    area,
    title: 'A PUT with a one-shot streamed body is not retried: it cannot be sent again (SECURITY.md §14)',
    requires: ['http', 'socket-errors', 'streamed-request-body', 'retries'],
    async run({ send, servers }) {
      const url = new URL('/fail-once?key=one-shot', servers.raw);
      const body = streamBody(
        (async function* () {
          yield new TextEncoder().encode('only once');
        })(),
      );
      await expectHttpError(send({ method: 'PUT', url, body }), { code: 'CONNECTION_CLOSED' });
      const check = await send({ url });
      assert.equal(await check.body.text(), 'attempt 2', 'the PUT was sent again');
    },
  },
];

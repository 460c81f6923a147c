import assert from 'node:assert/strict';
import { checkError, expectBodyError, expectHttpError, untilReceived } from '../assertions.js';
import type { ConformanceCase } from '../case.js';

const area = 'abort-and-timeouts';

export const abortAndTimeoutCases: readonly ConformanceCase[] = [
  {
    id: 'abort/before-send',
    area,
    title: 'An already-aborted signal: ABORTED, requestSent false, cause is the reason',
    requires: ['http', 'abort'],
    async run({ send, servers }) {
      const controller = new AbortController();
      const reason = new Error('caller changed its mind');
      controller.abort(reason);
      const error = await expectHttpError(
        send({ url: new URL('/echo', servers.http), signal: controller.signal }),
        { code: 'ABORTED', requestSent: false },
      );
      assert.equal(error.cause, reason, 'cause must be the signal reason');
    },
  },
  {
    id: 'abort/waiting-for-head',
    area,
    title: 'Abort while the server holds the head: ABORTED with requestSent true',
    requires: ['http', 'abort'],
    async run({ send, servers, signal }) {
      const controller = new AbortController();
      const target = '/hang?case=abort-head';
      const pending = send({ url: new URL(target, servers.http), signal: controller.signal });
      await untilReceived(servers.state, target, signal);
      controller.abort(new Error('stop waiting'));
      await expectHttpError(pending, { code: 'ABORTED', requestSent: true });
    },
  },
  {
    id: 'abort/during-body',
    area,
    title: 'Abort while the body streams: the pending read and trailers reject with ABORTED',
    requires: ['http', 'abort', 'streamed-response-body'],
    // Aborting is immediate or never: a short limit keeps a transport that misses it from costing 5 s.
    timeLimit: 2000,
    async run({ send, servers }) {
      const controller = new AbortController();
      const response = await send({ url: new URL('/hang-body', servers.http), signal: controller.signal });
      const iterator = response.body[Symbol.asyncIterator]();
      await iterator.next();
      const pendingRead = iterator.next();
      controller.abort(new Error('stop reading'));
      try {
        await pendingRead;
        assert.fail('the read after abort resolved');
      } catch (error) {
        checkError(error, { code: 'ABORTED' }, 'the pending read');
      }
      await expectHttpError(response.trailers, { code: 'ABORTED' }, 'trailers');
    },
  },
  {
    id: 'timeout/headers',
    area,
    title: 'No head within timeout.headers: TIMEOUT, phase "headers", requestSent true',
    requires: ['http', 'timeouts'],
    async run({ send, servers }) {
      await expectHttpError(
        send({ url: new URL('/hang?case=timeout', servers.http), options: { timeout: { headers: 200 } } }),
        { code: 'TIMEOUT', phase: 'headers', requestSent: true },
      );
    },
  },
  {
    id: 'timeout/body-idle',
    area,
    title: 'A body that stalls longer than timeout.bodyIdle: TIMEOUT, phase "body-idle"',
    requires: ['http', 'timeouts', 'streamed-response-body'],
    async run({ send, servers }) {
      const response = await send({
        url: new URL('/hang-body', servers.http),
        options: { timeout: { bodyIdle: 200 } },
      });
      await expectBodyError(response, { code: 'TIMEOUT', phase: 'body-idle' });
    },
  },
];

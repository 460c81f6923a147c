import assert from 'node:assert/strict';
import { type HttpResponse, type RequestBody, streamBody } from '@x/core';
import { checkError, expectBodyError, expectHttpError, pause, untilReceived } from '../assertions.js';
import type { ConformanceCase } from '../case.js';

const area = 'abort-and-timeouts';

/**
 * A one-shot body that yields one chunk and then never another, built by
 * hand rather than with an async generator: a generator suspended in an
 * await cannot run return() until that await settles, so it could not
 * show whether the transport called it.
 */
function stalledUpload(): { body: RequestBody; firstPulled: Promise<void>; closed: () => boolean } {
  let closed = false;
  let pulledOnce = 0;
  let pulled!: () => void;
  const firstPulled = new Promise<void>((resolve) => {
    pulled = resolve;
  });
  const iterator: AsyncIterator<Uint8Array> = {
    next() {
      if (closed) return Promise.resolve({ done: true, value: undefined });
      pulled();
      return pulledOnce++ === 0
        ? Promise.resolve({ done: false, value: new TextEncoder().encode('first part;') })
        : new Promise<IteratorResult<Uint8Array>>(() => undefined);
    },
    return() {
      closed = true;
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  let opened = false;
  const body: RequestBody = {
    length: null,
    replayable: false,
    contentType: null,
    open() {
      if (opened) throw new Error('opened twice');
      opened = true;
      return { [Symbol.asyncIterator]: () => iterator };
    },
  };
  return { body, firstPulled, closed: () => closed };
}

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
    timeLimit: 1000,
    async run({ send, servers }) {
      const controller = new AbortController();
      const response = await send({ url: new URL('/hang-body', servers.http), signal: controller.signal });
      const iterator = response.body[Symbol.asyncIterator]();
      await iterator.next();
      const pendingRead = iterator.next();
      controller.abort(new Error('stop reading'));
      let step: IteratorResult<Uint8Array> | undefined;
      try {
        step = await pendingRead;
      } catch (error) {
        checkError(error, { code: 'ABORTED' }, 'the pending read');
      }
      if (step)
        assert.fail(
          `the read after abort resolved (${step.done ? 'as the end: a short success' : 'with a chunk'})`,
        );
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
    id: 'timeout/headers-is-a-deadline',
    area,
    title:
      'A head trickled a byte every 50 ms still hits timeout.headers: a deadline, not an idle timer (SECURITY.md §17)',
    requires: ['http', 'timeouts', 'strict-framing'],
    async run({ send, servers }) {
      await expectHttpError(
        send({ url: new URL('/trickle-head', servers.raw), options: { timeout: { headers: 300 } } }),
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
  {
    id: 'timeout/total',
    area,
    title: 'A body still streaming when timeout.total passes: TIMEOUT, phase "total"',
    requires: ['http', 'timeouts', 'streamed-response-body'],
    async run({ send, servers }) {
      // 40 chunks 50 ms apart: never idle for long, but 2 s in all, far past the 300 ms deadline.
      const pending = send({
        url: new URL('/stream?chunks=40&delay=50', servers.http),
        options: { timeout: { total: 300 } },
      });
      let response: HttpResponse;
      try {
        response = await pending;
      } catch (error) {
        checkError(error, { code: 'TIMEOUT', phase: 'total' });
        return;
      }
      await expectBodyError(response, { code: 'TIMEOUT', phase: 'total' });
    },
  },
  {
    id: 'abort/during-upload',
    area,
    title: 'Abort while a streamed upload stalls: ABORTED, and the transport closes the body iterator',
    requires: ['http', 'abort', 'streamed-request-body'],
    timeLimit: 1500,
    async run({ send, servers, signal }) {
      const controller = new AbortController();
      const stalled = stalledUpload();
      const pending = send({
        method: 'POST',
        url: new URL('/echo', servers.http),
        body: stalled.body,
        signal: controller.signal,
      });
      await stalled.firstPulled;
      await pause(50, signal);
      controller.abort(new Error('upload cancelled'));
      // requestSent is not checked: whether the first chunk left the client before the abort is a race.
      await expectHttpError(pending, { code: 'ABORTED' });
      // The contract: a transport never leaves a request body half-read without cancelling it.
      for (let turn = 0; turn < 50 && !stalled.closed(); turn++) await pause(10, signal);
      assert.equal(stalled.closed(), true, 'return() was never called on the request body iterator');
    },
  },
  {
    id: 'abort/body-source-fails',
    area,
    title: 'A request body that throws mid-stream rejects with an HttpClientError, never a hang',
    requires: ['http', 'streamed-request-body'],
    async run({ send, servers }) {
      const body = streamBody(
        (async function* () {
          yield new TextEncoder().encode('some bytes;');
          throw new Error('the disk went away');
        })(),
      );
      // Which code is a transport's choice; a typed error (not the raw Error, not a hang) is the contract.
      await expectHttpError(send({ method: 'POST', url: new URL('/echo', servers.http), body }), {
        code: ['INVALID_REQUEST', 'CONNECTION_CLOSED', 'ABORTED'],
      });
    },
  },
];

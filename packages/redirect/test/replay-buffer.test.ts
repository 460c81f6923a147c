import {
  createMockTransport,
  createRequest,
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  streamBody,
  withRequestChanges,
} from '@x/core';
import { describe, expect, it } from 'vitest';
import { withRedirects } from '../src/index.js';
import { recordBody } from '../src/replay-buffer.js';
import { decoder } from './helpers.js';

const encoder = new TextEncoder();

function stream(...parts: string[]) {
  return streamBody(
    (async function* () {
      for (const part of parts) yield encoder.encode(part);
    })(),
  );
}

async function drain(
  iterable: AsyncIterable<Uint8Array>,
  stopAfter = Number.POSITIVE_INFINITY,
): Promise<string> {
  let text = '';
  let count = 0;
  for await (const chunk of iterable) {
    text += decoder.decode(chunk);
    if (++count >= stopAfter) break;
  }
  return text;
}

describe('recordBody', () => {
  it('passes the bytes through and replays them once fully sent', async () => {
    const recording = recordBody(stream('ab', 'cd'), 16);
    expect(recording.replay()).toBeNull();
    expect(await drain(recording.body.open())).toBe('abcd');
    const replay = recording.replay();
    expect(replay?.replayable).toBe(true);
    expect(replay?.length).toBe(4);
    expect(await drain(replay!.open())).toBe('abcd');
    // Replayable means replayable: twice.
    expect(await drain(replay!.open())).toBe('abcd');
  });

  it('has no replay when the body was cut short by its reader', async () => {
    const recording = recordBody(stream('ab', 'cd', 'ef'), 16);
    expect(await drain(recording.body.open(), 1)).toBe('ab');
    expect(recording.replay()).toBeNull();
  });

  it('has no replay when the body outgrew the bound, and still sends all of it', async () => {
    const recording = recordBody(stream('abcd', 'efgh'), 6);
    expect(await drain(recording.body.open())).toBe('abcdefgh');
    expect(recording.replay()).toBeNull();
  });

  it('keeps a copy, not the producer’s buffer', async () => {
    const shared = encoder.encode('xy');
    const recording = recordBody(
      streamBody(
        (async function* () {
          yield shared;
        })(),
      ),
      16,
    );
    await drain(recording.body.open());
    shared.set(encoder.encode('zz'));
    expect(await drain(recording.replay()!.open())).toBe('xy');
  });
});

describe('bufferBody through the layer', () => {
  it('refuses a 307 when the transport did not read the whole body before the answer', async () => {
    // A server that answers before reading the upload: the transport stops reading.
    const answers = createMockTransport(() => ({ status: 307, headers: { Location: '/again' } }));
    const inner: HttpTransport = {
      async request(request: HttpRequest) {
        const iterator = request.body?.open()[Symbol.asyncIterator]();
        await iterator?.next();
        await iterator?.return?.();
        return answers.request(withRequestChanges(request, { body: null }));
      },
      close: () => answers.close(),
    };
    const error = await withRedirects(inner, { bufferBody: 1024 })
      .request(createRequest({ method: 'PUT', url: 'http://a.test/', body: stream('a', 'b') }))
      .then(
        (response: HttpResponse) => response,
        (failure: unknown) => failure,
      );
    expect(HttpClientError.is(error, 'REDIRECT_BODY_NOT_REPLAYABLE')).toBe(true);
  });

  it('does not wrap a body whose declared length already exceeds the bound', async () => {
    const inner = createMockTransport((request) =>
      request.url.pathname === '/' ? { status: 308, headers: { Location: '/b' } } : { status: 200 },
    );
    const body = streamBody(
      (async function* () {
        yield encoder.encode('0123456789');
      })(),
      10,
    );
    const error = await withRedirects(inner, { bufferBody: 4 })
      .request(createRequest({ method: 'POST', url: 'http://a.test/', body }))
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    expect(HttpClientError.is(error, 'REDIRECT_BODY_NOT_REPLAYABLE')).toBe(true);
    expect((error as HttpClientError).details.bufferBody).toBe(4);
    expect(inner.requests[0]?.body).toBe(body);
  });
});

import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { type BodySource, HttpClientError, ResponseBody, sourceFromIterable } from '../src/index.js';

const encoder = new TextEncoder();

/** A source that records how far the producer was pulled, to observe backpressure. */
function countingSource(total: number): BodySource & { produced: () => number; cancelled: () => unknown } {
  let produced = 0;
  let cancelReason: unknown;
  let cancelled = false;
  return {
    async read() {
      if (cancelled) throw new HttpClientError('ABORTED', 'cancelled', { cause: cancelReason });
      if (produced >= total) return null;
      produced++;
      return encoder.encode(`chunk${produced};`);
    },
    cancel(reason) {
      cancelled = true;
      cancelReason = reason;
    },
    produced: () => produced,
    cancelled: () => cancelReason,
  };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<HttpClientError> {
  try {
    await promise;
  } catch (error) {
    expect(HttpClientError.is(error)).toBe(true);
    expect((error as HttpClientError).code).toBe(code);
    return error as HttpClientError;
  }
  throw new Error(`expected a ${code} error`);
}

describe('ResponseBody', () => {
  it('streams chunks in order through for-await', async () => {
    const body = ResponseBody.from(['a', 'bc', '', 'd']);
    const seen: string[] = [];
    for await (const chunk of body) seen.push(new TextDecoder().decode(chunk));
    expect(seen).toEqual(['a', 'bc', 'd']);
  });

  it('has a single consumer: a second read of any kind is BODY_CONSUMED', async () => {
    const body = ResponseBody.from('hello');
    expect(await body.text()).toBe('hello');
    expect(body.used).toBe(true);
    await expectCode(body.text(), 'BODY_CONSUMED');
    await expectCode(body.bytes(), 'BODY_CONSUMED');
    expect(() => body[Symbol.asyncIterator]()).toThrow(HttpClientError);
    expect(() => body.toWeb()).toThrow(HttpClientError);
    expect(() => body.toNode()).toThrow(HttpClientError);
  });

  it('pulls nothing until a consumer reads, and only as fast as it reads (backpressure)', async () => {
    const source = countingSource(1000);
    const body = new ResponseBody(source);
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.produced()).toBe(0);
    const iterator = body[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.produced()).toBe(2);
    await iterator.return?.();
    expect(source.cancelled()).toBeInstanceOf(Error);
  });

  it('a slow Node consumer bounds how far ahead the producer runs', async () => {
    const source = countingSource(10_000);
    const body = new ResponseBody(source);
    let written = 0;
    const slowSink = new Writable({
      highWaterMark: 1,
      write(_chunk, _encoding, callback) {
        written++;
        setImmediate(callback);
      },
    });
    const done = pipeline(body.toNode(), slowSink);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The producer can be ahead of the sink by a few buffered chunks, never by thousands.
    expect(source.produced() - written).toBeLessThan(8);
    await done;
    expect(written).toBe(10_000);
  });

  it('a slow WHATWG reader bounds how far ahead the producer runs', async () => {
    const source = countingSource(100);
    const reader = new ResponseBody(source).toWeb().getReader();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(source.produced()).toBeLessThanOrEqual(2);
    await reader.cancel('enough');
    expect(source.cancelled()).toBe('enough');
  });

  it('leaving for-await early cancels the source', async () => {
    const source = countingSource(100);
    for await (const _chunk of new ResponseBody(source)) break;
    expect(source.cancelled()).toBeInstanceOf(Error);
    expect(source.produced()).toBe(1);
  });

  it('destroying the Node stream cancels the source', async () => {
    const source = countingSource(100);
    const readable = new ResponseBody(source).toNode();
    const emitted = new Promise((resolve) => readable.once('error', resolve));
    readable.destroy(new Error('consumer gone'));
    expect(((await emitted) as Error).message).toBe('consumer gone');
    await new Promise((resolve) => setImmediate(resolve));
    expect((source.cancelled() as Error).message).toBe('consumer gone');
  });

  it('cancel() stops a consumer that is still reading with ABORTED', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const source = sourceFromIterable(
      (async function* () {
        yield encoder.encode('first');
        await gate;
        yield encoder.encode('second');
      })(),
    );
    const body = new ResponseBody(source);
    const iterator = body[Symbol.asyncIterator]();
    await iterator.next();
    const pending = iterator.next();
    await body.cancel('user said stop');
    release();
    const error = await expectCode(pending, 'ABORTED');
    expect(error.cause).toBe('user said stop');
  });

  it('cancel() rejects a pending read at once even when the producer never moves again', async () => {
    const source = sourceFromIterable(
      (async function* () {
        yield encoder.encode('first');
        await new Promise(() => undefined);
      })(),
    );
    const body = new ResponseBody(source);
    const iterator = body[Symbol.asyncIterator]();
    await iterator.next();
    const pending = iterator.next();
    await body.cancel('stalled');
    const error = await expectCode(pending, 'ABORTED');
    expect(error.cause).toBe('stalled');
  });

  it('bytes() refuses a body beyond its limit, by declared length before reading', async () => {
    const source = countingSource(10);
    const body = new ResponseBody(source, { length: 5000, bufferLimit: 100 });
    const error = await expectCode(body.bytes(), 'LIMIT_EXCEEDED');
    expect(error.details).toMatchObject({ limit: 'bufferLimit', max: 100 });
    expect(source.produced()).toBe(0);
  });

  it('bytes() refuses a body beyond its limit while streaming, and cancels the source', async () => {
    const source = countingSource(1000);
    const error = await expectCode(new ResponseBody(source).bytes({ limit: 50 }), 'LIMIT_EXCEEDED');
    expect(error.details.seen).toBeGreaterThan(50);
    expect(source.cancelled()).toBe(error);
    expect(source.produced()).toBeLessThan(10);
  });

  it('text() honours the charset parameter and defaults to UTF-8', async () => {
    const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9]);
    expect(await ResponseBody.from(latin1, { contentType: 'text/plain; charset="ISO-8859-1"' }).text()).toBe(
      'café',
    );
    expect(await ResponseBody.from(encoder.encode('café')).text()).toBe('café');
    expect(
      await ResponseBody.from(encoder.encode('ok'), { contentType: 'text/plain; charset=bogus' }).text(),
    ).toBe('ok');
  });

  it('json() parses, and invalid JSON is INVALID_BODY with the SyntaxError as cause', async () => {
    expect(await ResponseBody.from('{"a":[1,2]}').json()).toEqual({ a: [1, 2] });
    const error = await expectCode(
      ResponseBody.from('{nope', { method: 'GET', url: 'http://u:p@127.0.0.1/x' }).json(),
      'INVALID_BODY',
    );
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error.url).toBe('http://127.0.0.1/x');
  });

  it('a producer failure reaches the consumer as the producer error', async () => {
    const source = sourceFromIterable(
      (async function* () {
        yield encoder.encode('partial');
        throw new HttpClientError('CONNECTION_CLOSED', 'peer closed', { details: { bytesReceived: 7 } });
      })(),
    );
    const error = await expectCode(new ResponseBody(source).bytes(), 'CONNECTION_CLOSED');
    expect(error.details.bytesReceived).toBe(7);
  });

  it('iteration rejects (never throws synchronously) when a source throws from read(), then is done', async () => {
    let cancelled = false;
    const source: BodySource = {
      read() {
        throw new HttpClientError('CONNECTION_CLOSED', 'source broke');
      },
      cancel() {
        cancelled = true;
      },
    };
    const iterator = new ResponseBody(source)[Symbol.asyncIterator]();
    let pending: Promise<IteratorResult<Uint8Array>> | undefined;
    expect(() => {
      pending = iterator.next();
    }).not.toThrow();
    await expectCode(pending as Promise<unknown>, 'CONNECTION_CLOSED');
    // The body settled with the failure: later reads are done, and there is nothing left to cancel.
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    await iterator.return?.();
    expect(cancelled).toBe(false);
  });

  it('a failure after some chunks reaches for-await after those chunks, then the iterator is done', async () => {
    let reads = 0;
    const source: BodySource = {
      read: async () => {
        reads++;
        if (reads <= 2) return encoder.encode(`c${reads}`);
        throw new HttpClientError('CONNECTION_CLOSED', 'cut short');
      },
      cancel() {},
    };
    const body = new ResponseBody(source);
    const seen: string[] = [];
    const iterator = body[Symbol.asyncIterator]();
    await expectCode(
      (async () => {
        for (;;) {
          const step = await iterator.next();
          if (step.done) return;
          seen.push(new TextDecoder().decode(step.value));
        }
      })(),
      'CONNECTION_CLOSED',
    );
    expect(seen).toEqual(['c1', 'c2']);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(reads).toBe(3);
  });

  it('after the clean end the iterator is done without reading again, and return() or cancel() cancel nothing', async () => {
    const source = countingSource(2);
    let reads = 0;
    let cancels = 0;
    const watched: BodySource = {
      read: () => {
        reads++;
        return source.read();
      },
      cancel: (reason) => {
        cancels++;
        source.cancel(reason);
      },
    };
    const body = new ResponseBody(watched);
    const iterator = body[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    expect((await iterator.next()).done).toBe(false);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(reads).toBe(3);
    expect(await iterator.return?.()).toEqual({ done: true, value: undefined });
    await body.cancel('late');
    expect(cancels).toBe(0);
  });

  it('converts to a Node Readable that pipes all bytes', async () => {
    const chunks: Buffer[] = [];
    await pipeline(
      ResponseBody.from(['x', 'y', 'z']).toNode(),
      new Writable({
        write(chunk, _encoding, callback) {
          chunks.push(chunk);
          callback();
        },
      }),
    );
    expect(Buffer.concat(chunks).toString()).toBe('xyz');
    expect(Readable.isDisturbed).toBeTypeOf('function');
  });

  it('converts to a WHATWG stream usable by new Response()', async () => {
    const text = await new Response(ResponseBody.from(['he', 'llo']).toWeb()).text();
    expect(text).toBe('hello');
  });
});

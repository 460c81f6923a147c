import { describe, expect, it } from 'vitest';
import { type BodySource, HttpClientError, ResponseBody, sourceFromIterable } from '../src/index.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A lending source: every chunk is a view of ONE buffer it rewrites on each
 * read, as a transport reading into a reused buffer does. It records which
 * read method was called and how often the consumer let go of a chunk.
 */
function lendingSource(parts: readonly string[]): BodySource & {
  calls: string[];
  cancelled: () => unknown;
} {
  const buffer = new Uint8Array(64);
  const calls: string[] = [];
  let index = 0;
  let cancelReason: unknown;
  let cancelled = false;
  const next = (): Uint8Array | null => {
    if (cancelled) throw new HttpClientError('ABORTED', 'cancelled', { cause: cancelReason });
    if (index >= parts.length) return null;
    buffer.fill(0xee);
    const bytes = encoder.encode(parts[index++] as string);
    buffer.set(bytes);
    return buffer.subarray(0, bytes.byteLength);
  };
  return {
    calls,
    cancelled: () => cancelReason,
    async read() {
      calls.push('read');
      const view = next();
      return view === null ? null : view.slice();
    },
    async readView() {
      calls.push('readView');
      return next();
    },
    cancel(reason) {
      cancelled = true;
      cancelReason = reason;
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<HttpClientError> {
  try {
    await promise;
  } catch (error) {
    expect(HttpClientError.is(error)).toBe(true);
    return error as HttpClientError;
  }
  throw new Error('expected a failure');
}

describe('ResponseBody.views()', () => {
  it('reads with readView when the source lends, each view valid until the next is asked for', async () => {
    const source = lendingSource(['alpha', 'beta', 'gamma']);
    const seen: string[] = [];
    for await (const view of new ResponseBody(source).views()) seen.push(decoder.decode(view));
    expect(seen).toEqual(['alpha', 'beta', 'gamma']);
    expect(source.calls).toEqual(['readView', 'readView', 'readView', 'readView']);
  });

  it('a view kept past the next read is overwritten: the contract is real, copy what you keep', async () => {
    const views: Uint8Array[] = [];
    for await (const view of new ResponseBody(lendingSource(['one', 'two'])).views()) views.push(view);
    expect(decoder.decode(views[0])).not.toBe('one');
  });

  it('falls back to read() and owned chunks for a source that cannot lend', async () => {
    const body = ResponseBody.from(['a', 'bc', 'def']);
    const kept: Uint8Array[] = [];
    for await (const view of body.views()) kept.push(view);
    expect(kept.map((chunk) => decoder.decode(chunk))).toEqual(['a', 'bc', 'def']);
  });

  it('counts as the single consumer, both ways', async () => {
    const viewed = ResponseBody.from('x');
    viewed.views();
    expect(viewed.used).toBe(true);
    expect(() => viewed[Symbol.asyncIterator]()).toThrow(expect.objectContaining({ code: 'BODY_CONSUMED' }));
    expect((await failure(viewed.bytes())).code).toBe('BODY_CONSUMED');

    const iterated = ResponseBody.from('x');
    iterated[Symbol.asyncIterator]();
    expect(() => iterated.views()).toThrow(expect.objectContaining({ code: 'BODY_CONSUMED' }));
  });

  it('leaving the loop early cancels the source, as for-await does', async () => {
    const source = lendingSource(['one', 'two', 'three']);
    for await (const view of new ResponseBody(source).views()) {
      expect(decoder.decode(view)).toBe('one');
      break;
    }
    expect(source.cancelled()).toBeInstanceOf(Error);
  });

  it('a producer failure reaches the consumer after the chunks before it, then the iterator is done', async () => {
    async function* failing() {
      yield 'first';
      throw new HttpClientError('CONNECTION_CLOSED', 'reset', { requestSent: true });
    }
    const iterator = new ResponseBody(sourceFromIterable(failing())).views();
    const first = await iterator.next();
    expect(decoder.decode(first.value as Uint8Array)).toBe('first');
    expect((await failure(iterator.next())).code).toBe('CONNECTION_CLOSED');
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('cancel() while a borrowing consumer waits rejects its read with ABORTED', async () => {
    const body = ResponseBody.from(
      (async function* () {
        yield 'first';
        await new Promise(() => undefined); // a producer that never moves again
      })(),
    );
    const iterator = body.views();
    await iterator.next();
    const pending = iterator.next();
    await body.cancel(new Error('stop'));
    expect((await failure(pending)).code).toBe('ABORTED');
  });

  it('an iterator that is its own async iterable (for await over views())', async () => {
    const iterator = ResponseBody.from('z').views();
    expect(iterator[Symbol.asyncIterator]()).toBe(iterator);
  });
});

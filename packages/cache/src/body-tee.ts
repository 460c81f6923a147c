import { type BodySource, type HttpResponse, ResponseBody, withResponseChanges } from '@x/core';
import type { CacheBodyWriter } from './cache-store.js';

export type TeeOutcome = 'committed' | 'abandoned';

/**
 * Writes a network body into the store while the caller reads it: each
 * chunk goes to the store before the caller gets it (so memory stays flat,
 * the store's speed is the only extra backpressure), the entry is committed
 * only when the body ended cleanly, and abandoned if the caller cancels, the
 * body fails, or the store refuses it. The caller's bytes never depend on
 * the store: a failing store only means nothing is cached.
 */
export function teeIntoStore(
  response: HttpResponse,
  writer: CacheBodyWriter,
): { response: HttpResponse; outcome: Promise<TeeOutcome> } {
  const iterator = response.body[Symbol.asyncIterator]();
  let active: CacheBodyWriter | null = writer;
  let settle!: (outcome: TeeOutcome) => void;
  const outcome = new Promise<TeeOutcome>((resolve) => {
    settle = resolve;
  });

  const abandon = async () => {
    const current = active;
    active = null;
    if (current === null) return;
    await current.abort().catch(() => undefined);
    settle('abandoned');
  };

  const source: BodySource = {
    async read() {
      let step: IteratorResult<Uint8Array>;
      try {
        step = await iterator.next();
      } catch (error) {
        await abandon();
        throw error;
      }
      if (step.done) {
        const current = active;
        active = null;
        if (current !== null) {
          try {
            await current.commit();
            settle('committed');
          } catch {
            await current.abort().catch(() => undefined);
            settle('abandoned');
          }
        }
        return null;
      }
      if (active !== null) {
        let accepted = false;
        try {
          accepted = await active.write(step.value);
        } catch {
          accepted = false;
        }
        if (!accepted) await abandon();
      }
      return step.value;
    },
    cancel(reason) {
      void abandon();
      void iterator.return?.(reason);
    },
  };

  const body = new ResponseBody(source, {
    length: response.body.length,
    contentType: response.headers.get('content-type'),
    // The cap of the body below carries over (SECURITY.md 20).
    bufferLimit: response.body.bufferLimit,
    url: response.url,
  });
  return { response: withResponseChanges(response, { body }), outcome };
}

/** Reads a body to its end, discarding the bytes (a background revalidation nobody is waiting for). */
export async function drainBody(body: ResponseBody): Promise<void> {
  for await (const _chunk of body) {
    // Nothing to do with the bytes: reading them is what stores them.
  }
}

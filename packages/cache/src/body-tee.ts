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
  const source = new TeeSource(response.body[Symbol.asyncIterator](), writer);
  const body = new ResponseBody(source, {
    length: response.body.length,
    contentType: response.headers.get('content-type'),
    // The cap of the body below carries over (SECURITY.md 20).
    bufferLimit: response.body.bufferLimit,
    url: response.url,
  });
  return { response: withResponseChanges(response, { body }), outcome: source.outcome };
}

/** The caller's view of the network body, writing each chunk to the store first (a class: one per stored miss). */
class TeeSource implements BodySource {
  readonly outcome: Promise<TeeOutcome>;
  readonly #iterator: AsyncIterator<Uint8Array>;
  /** The store's writer until the entry is committed or given up. */
  #active: CacheBodyWriter | null;
  #settle!: (outcome: TeeOutcome) => void;

  constructor(iterator: AsyncIterator<Uint8Array>, writer: CacheBodyWriter) {
    this.#iterator = iterator;
    this.#active = writer;
    this.outcome = new Promise<TeeOutcome>((resolve) => {
      this.#settle = resolve;
    });
  }

  async read(): Promise<Uint8Array | null> {
    let step: IteratorResult<Uint8Array>;
    try {
      step = await this.#iterator.next();
    } catch (error) {
      await this.#abandon();
      throw error;
    }
    if (step.done) {
      const current = this.#active;
      this.#active = null;
      if (current !== null) {
        try {
          await current.commit();
          this.#settle('committed');
        } catch {
          await current.abort().catch(() => undefined);
          this.#settle('abandoned');
        }
      }
      return null;
    }
    if (this.#active !== null) {
      let accepted = false;
      try {
        accepted = await this.#active.write(step.value);
      } catch {
        accepted = false;
      }
      if (!accepted) await this.#abandon();
    }
    return step.value;
  }

  cancel(reason?: unknown): void {
    void this.#abandon();
    void this.#iterator.return?.(reason);
  }

  async #abandon(): Promise<void> {
    const current = this.#active;
    this.#active = null;
    if (current === null) return;
    await current.abort().catch(() => undefined);
    this.#settle('abandoned');
  }
}

/** Reads a body to its end, discarding the bytes (a background revalidation nobody is waiting for). */
export async function drainBody(body: ResponseBody): Promise<void> {
  for await (const _chunk of body) {
    // Nothing to do with the bytes: reading them is what stores them.
  }
}

import { type BodySource, HttpClientError } from '@x/core';

/**
 * A stored body handed over as the one chunk it is kept in: the first
 * read() resolves with it, the next with null. A class rather than
 * sourceFromIterable's closures, since a memory hit is all this layer does
 * and a generic iterator adapter showed in its profile. The chunk is the
 * store's own bytes, as the chunks of sourceFromIterable were: a reader that
 * keeps it gets a view, not a copy.
 */
export class StoredBodySource implements BodySource {
  #chunk: Uint8Array | null;
  /** Set once a read has returned the end (null). */
  #ended = false;
  #cancelled: HttpClientError | null = null;

  constructor(chunk: Uint8Array) {
    this.#chunk = chunk.byteLength > 0 ? chunk : null;
  }

  read(): Promise<Uint8Array | null> {
    if (this.#cancelled !== null) return Promise.reject(this.#cancelled);
    const chunk = this.#chunk;
    if (chunk === null) this.#ended = true;
    this.#chunk = null;
    return Promise.resolve(chunk);
  }

  cancel(reason?: unknown): void {
    // As for every BodySource: cancelling after the end was read changes nothing, before it fails later reads.
    this.#chunk = null;
    if (this.#cancelled !== null || this.#ended) return;
    this.#cancelled = new HttpClientError('ABORTED', 'The response body was cancelled', { cause: reason });
  }
}

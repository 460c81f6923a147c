import { type BodySource, HttpClientError } from '@x/core';

/**
 * What the source tells its connection, about `owner` (the exchange). One
 * hooks object serves every body of a connection, so no closures are built
 * per response.
 */
export interface SocketBodySourceHooks<Owner> {
  /** A consumer is waiting and nothing is buffered: let bytes flow again. */
  onDemand(owner: Owner): void;
  /** The consumer cancelled before the end. */
  onCancel(owner: Owner, reason: unknown): void;
  /** A borrowing consumer let go of chunks it was lent: their buffers may be read into again. */
  onRelease(owner: Owner): void;
}

/**
 * The pull side of a response body read from a socket. The connection
 * pushes parsed chunks; a consumer pulls them with `read()`. While chunks
 * wait unread the connection keeps the socket paused, so memory stays at
 * what one socket read delivered, whatever the body size.
 */
export class SocketBodySource<Owner = unknown> implements BodySource {
  #chunks: Uint8Array[] = [];
  #head = 0;
  #ended = false;
  /** The consumer reads with `readView()`: chunks may be views of reused buffers (socket-reads.ts). */
  #borrowing = false;
  /** Chunks accepted so far, in order; the n-th pushed chunk is number n. */
  #pushed = 0;
  /** Chunks handed to the consumer so far. */
  #handed = 0;
  /** Chunks 1..released are no longer in use (what a pinned read buffer waits for). */
  #released = 0;
  #error: HttpClientError | null = null;
  #waiter: { resolve(chunk: Uint8Array | null): void; reject(error: unknown): void } | null = null;
  readonly #hooks: SocketBodySourceHooks<Owner>;
  readonly #owner: Owner;

  constructor(hooks: SocketBodySourceHooks<Owner>, owner: Owner) {
    this.#hooks = hooks;
    this.#owner = owner;
  }

  /** Chunks pushed and not yet read. */
  get buffered(): number {
    return this.#chunks.length - this.#head;
  }

  /** True while a consumer awaits a chunk. */
  get waiting(): boolean {
    return this.#waiter !== null;
  }

  get finished(): boolean {
    return this.#ended || this.#error !== null;
  }

  /** True once the consumer asked for borrowed chunks (`readView`). */
  get borrowing(): boolean {
    return this.#borrowing;
  }

  /** Number of the latest accepted chunk (see `released`). */
  get pushed(): number {
    return this.#pushed;
  }

  get released(): number {
    return this.#released;
  }

  /** Returns false when the chunk was not taken (empty, or the body already ended or failed). */
  push(chunk: Uint8Array): boolean {
    if (this.finished || chunk.byteLength === 0) return false;
    this.#pushed++;
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      this.#handed++;
      waiter.resolve(chunk);
      return true;
    }
    this.#chunks.push(chunk);
    return true;
  }

  end(): void {
    if (this.finished) return;
    this.#ended = true;
    const waiter = this.#waiter;
    if (waiter !== null && this.buffered === 0) {
      this.#waiter = null;
      waiter.resolve(null);
    }
  }

  /** Fails the body; chunks not yet read are dropped, since a failed body must not look complete. */
  fail(error: HttpClientError): void {
    if (this.finished) return;
    this.#error = error;
    this.#chunks = [];
    this.#head = 0;
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      waiter.reject(error);
    }
  }

  /**
   * Like `read()`, for `ResponseBody.views()`: from now on the connection may
   * push views of its read buffers, and each call lets go of the chunk
   * returned before (the buffer it pins may be read into again).
   */
  readView(): Promise<Uint8Array | null> {
    this.#borrowing = true;
    if (this.#released !== this.#handed) {
      this.#released = this.#handed;
      this.#hooks.onRelease(this.#owner);
    }
    return this.read();
  }

  read(): Promise<Uint8Array | null> {
    if (this.#head < this.#chunks.length) {
      const chunk = this.#chunks[this.#head] as Uint8Array;
      this.#handed++;
      this.#chunks[this.#head] = EMPTY;
      this.#head++;
      if (this.#head === this.#chunks.length) {
        this.#chunks = [];
        this.#head = 0;
      }
      return Promise.resolve(chunk);
    }
    if (this.#error !== null) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve(null);
    if (this.#waiter !== null) {
      return Promise.reject(
        new HttpClientError('BODY_CONSUMED', 'Concurrent reads of one response body', { requestSent: true }),
      );
    }
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
      this.#hooks.onDemand(this.#owner);
    });
  }

  cancel(reason?: unknown): void {
    // Whatever was lent is given back: a cancelled consumer uses no chunk any more.
    const lent = this.#released !== this.#pushed;
    this.#released = this.#pushed;
    if (this.finished) {
      this.#chunks = [];
      this.#head = 0;
      if (lent) this.#hooks.onRelease(this.#owner);
      return;
    }
    this.fail(new HttpClientError('ABORTED', 'The response body was cancelled', { cause: reason }));
    this.#hooks.onCancel(this.#owner, reason);
    if (lent) this.#hooks.onRelease(this.#owner);
  }
}

const EMPTY = new Uint8Array(0);

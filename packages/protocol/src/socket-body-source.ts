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

  push(chunk: Uint8Array): void {
    if (this.finished || chunk.byteLength === 0) return;
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      waiter.resolve(chunk);
      return;
    }
    this.#chunks.push(chunk);
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

  read(): Promise<Uint8Array | null> {
    if (this.#head < this.#chunks.length) {
      const chunk = this.#chunks[this.#head] as Uint8Array;
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
    if (this.finished) {
      this.#chunks = [];
      this.#head = 0;
      return;
    }
    this.fail(new HttpClientError('ABORTED', 'The response body was cancelled', { cause: reason }));
    this.#hooks.onCancel(this.#owner, reason);
  }
}

const EMPTY = new Uint8Array(0);

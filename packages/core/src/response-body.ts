import { Readable } from 'node:stream';
import { HttpClientError } from './errors.js';

/**
 * The producer side of a response body: pull-based, so backpressure is
 * automatic (nothing is read from the socket until a consumer asks).
 * Implemented by the protocol for real sockets and by `sourceFromIterable`
 * for everything else.
 */
export interface BodySource {
  /** The next chunk, or null at the clean end. Rejects only with HttpClientError (truncation included). */
  read(): Promise<Uint8Array | null>;
  /** Stops production and frees resources. Idempotent; a pending or later read rejects. */
  cancel(reason?: unknown): void;
  /**
   * Optional borrowed read, used by `ResponseBody.views()`: like `read()`,
   * but the chunk may be a view of a buffer the producer reuses. It stays
   * valid until the next call of `readView()`, `read()` or `cancel()`, and
   * no longer. Calling it tells the producer that the previously returned
   * chunk is no longer used. A source without it is read with `read()`,
   * whose chunks are owned (valid forever), which satisfies the same contract.
   */
  readView?(): Promise<Uint8Array | null>;
}

export interface ResponseBodyOptions {
  /** Content-Type of the response, for `text()`'s charset. */
  contentType?: string | null | undefined;
  /** Declared length (Content-Length) if any; informational, never used to size a buffer. */
  length?: number | null | undefined;
  /** Default cap for `bytes()`, `text()` and `json()`. Default 64 MiB. */
  bufferLimit?: number | undefined;
  /** For error messages. */
  method?: string | undefined;
  url?: URL | string | undefined;
}

export const DEFAULT_BUFFER_LIMIT = 64 * 1024 * 1024;

const BODY_OPTION_KEYS: readonly (keyof ResponseBodyOptions)[] = [
  'contentType',
  'length',
  'bufferLimit',
  'method',
  'url',
];

/**
 * The caller's own options in a null-prototype object (SECURITY.md rule 4):
 * an inherited `Object.prototype.bufferLimit` must not lift the cap of every
 * body, nor an inherited `length` refuse them.
 */
function ownBodyOptions(options: ResponseBodyOptions): ResponseBodyOptions {
  const own = Object.create(null) as Record<string, unknown>;
  for (const key of BODY_OPTION_KEYS) if (Object.hasOwn(options, key)) own[key] = options[key];
  return own as ResponseBodyOptions;
}

/** A usable buffering cap: a number ≥ 0 (Infinity is an explicit "no cap"). */
function isCap(value: unknown): value is number {
  return typeof value === 'number' && value >= 0;
}

const EMPTY = new Uint8Array(0);

/**
 * A response body: one consumer, streamed. Read it once, by iterating
 * (`for await`), by a buffering helper, or by converting to a WHATWG or Node
 * stream; a second attempt throws BODY_CONSUMED. Leaving a `for await`
 * early, or calling `cancel()`, stops the transfer and frees the connection.
 */
export class ResponseBody implements AsyncIterable<Uint8Array> {
  readonly #source: BodySource;
  readonly #options: ResponseBodyOptions;
  #used = false;
  #settled = false;

  constructor(source: BodySource, options: ResponseBodyOptions = {}) {
    this.#source = source;
    this.#options = ownBodyOptions(options);
  }

  /** A body with no bytes. */
  static empty(options?: ResponseBodyOptions): ResponseBody {
    return new ResponseBody(sourceFromIterable([]), options);
  }

  /** A body over bytes, text or an (async) iterable of chunks: for mocks, caches and layers. */
  static from(
    input: Uint8Array | string | Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>,
    options?: ResponseBodyOptions,
  ): ResponseBody {
    const chunks = typeof input === 'string' || input instanceof Uint8Array ? [input] : input;
    return new ResponseBody(sourceFromIterable(chunks), options);
  }

  /**
   * The cap `bytes()`, `text()` and `json()` apply when not given one. A
   * layer that wraps this body in a new one (decoding, caching) passes it on,
   * so the cap a caller set below still holds above (SECURITY.md rule 20).
   */
  get bufferLimit(): number {
    const limit = this.#options.bufferLimit;
    return isCap(limit) ? limit : DEFAULT_BUFFER_LIMIT;
  }

  /** True once a consumer has started (or the body was cancelled). */
  get used(): boolean {
    return this.#used;
  }

  /** The declared length, when the response had one. */
  get length(): number | null {
    return this.#options.length ?? null;
  }

  #claim(): void {
    if (this.#used) {
      throw new HttpClientError('BODY_CONSUMED', 'The response body has already been read or cancelled', {
        method: this.#options.method,
        url: this.#options.url,
        requestSent: true,
      });
    }
    this.#used = true;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    this.#claim();
    return this.#iterator(false);
  }

  /**
   * Borrowed chunks, for consumers that process each chunk before asking for
   * the next (hash, count, parse, copy into a file write that completes
   * first). Each chunk may be a view of a buffer the transport reuses: it is
   * valid only until the consumer asks for the next chunk, leaves the loop,
   * or cancels. Keep bytes past that point by copying them
   * (`chunk.slice()`). In exchange the transport can read the socket into a
   * reused buffer instead of allocating one per read, which is what makes a
   * large download fast and flat in memory (`@x/protocol`'s TCP connector).
   *
   *   for await (const view of response.body.views()) hash.update(view);
   *
   * Everything else is as for `for await` over the body: it is the single
   * consumer (a second read throws BODY_CONSUMED), it ends with the body,
   * errors are the same HttpClientErrors, and leaving the loop early cancels
   * the transfer. A source that cannot lend buffers (a mock, a layer that
   * builds its own chunks) gives owned chunks, which meet the same contract.
   */
  views(): AsyncIterableIterator<Uint8Array> {
    this.#claim();
    return this.#iterator(true);
  }

  #iterator(borrowed: boolean): AsyncIterableIterator<Uint8Array> {
    return new ResponseBody.#Iterator(this, borrowed && typeof this.#source.readView === 'function');
  }

  /**
   * The iterator of `for await` and `views()`: one object and two callbacks
   * per body, rather than an object literal over half a dozen closures; a
   * cache fill reads every stored body through it. Declared inside the class
   * so it can settle the body it reads (private names are lexically scoped).
   */
  static readonly #Iterator = class BodyIterator implements AsyncIterableIterator<Uint8Array> {
    readonly #body: ResponseBody;
    /** Read with `readView()` (checked once, at creation) instead of `read()`. */
    readonly #borrowed: boolean;
    // Made once per body, not per chunk: next() chains them on the source's
    // promise instead of running an async function per chunk (one promise
    // and one await fewer on the streaming path).
    readonly #onChunk = (chunk: Uint8Array | null): IteratorResult<Uint8Array> => {
      if (chunk === null) {
        this.#body.#settled = true;
        return { done: true, value: undefined };
      }
      return { done: false, value: chunk };
    };
    readonly #onError = (error: unknown): never => {
      this.#body.#settled = true;
      throw error;
    };

    constructor(body: ResponseBody, borrowed: boolean) {
      this.#body = body;
      this.#borrowed = borrowed;
    }

    next(): Promise<IteratorResult<Uint8Array>> {
      const body = this.#body;
      if (body.#settled) return Promise.resolve({ done: true, value: undefined });
      const source = body.#source;
      let pending: Promise<Uint8Array | null>;
      try {
        pending = this.#borrowed
          ? (source.readView as () => Promise<Uint8Array | null>).call(source)
          : source.read();
      } catch (error) {
        // A BodySource that throws instead of rejecting still makes next() reject, as an async function would.
        body.#settled = true;
        return Promise.reject(error);
      }
      return pending.then(this.#onChunk, this.#onError);
    }

    async return(): Promise<IteratorResult<Uint8Array>> {
      // Consumer left early (break / throw inside for-await): stop the transfer.
      const body = this.#body;
      if (!body.#settled) {
        body.#settled = true;
        body.#source.cancel(new Error('Response body iteration stopped early'));
      }
      return { done: true, value: undefined };
    }

    [Symbol.asyncIterator](): this {
      return this;
    }
  };

  /** All bytes, refusing more than `limit` (default: the body's bufferLimit, 64 MiB). */
  async bytes(options?: { limit?: number }): Promise<Uint8Array> {
    // Own property only: a polluted Object.prototype.limit must not lift the cap (SECURITY.md rule 4).
    // A limit that is not a number ≥ 0 (NaN, a string) never means "no cap" (SECURITY.md rule 20).
    const given = options !== undefined && Object.hasOwn(options, 'limit') ? options.limit : undefined;
    const limit = isCap(given) ? given : this.bufferLimit;
    const declared = this.#options.length;
    if (declared != null && declared > limit) {
      this.#claim();
      this.#settled = true;
      const error = this.#limitError(limit, declared);
      this.#source.cancel(error);
      throw error;
    }
    this.#claim();
    // Reads the source directly rather than through the async iterator: one
    // promise per chunk instead of two, and no iterator object per body.
    const source = this.#source;
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for (;;) {
        if (this.#settled) break;
        const chunk = await source.read();
        if (chunk === null) break;
        total += chunk.byteLength;
        if (total > limit) {
          this.#settled = true;
          const error = this.#limitError(limit, total);
          source.cancel(error);
          throw error;
        }
        chunks.push(chunk);
      }
    } finally {
      this.#settled = true;
    }
    if (chunks.length === 0) return EMPTY;
    if (chunks.length === 1) return chunks[0] as Uint8Array;
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }

  async arrayBuffer(options?: { limit?: number }): Promise<ArrayBuffer> {
    const bytes = await this.bytes(options);
    return bytes.buffer.byteLength === bytes.byteLength && bytes.byteOffset === 0
      ? (bytes.buffer as ArrayBuffer)
      : (bytes.slice().buffer as ArrayBuffer);
  }

  /** Decoded text: charset from Content-Type, UTF-8 when absent or unknown. */
  async text(options?: { limit?: number }): Promise<string> {
    const bytes = await this.bytes(options);
    return decoderFor(this.#options.contentType).decode(bytes);
  }

  /** Parsed JSON; invalid JSON is an INVALID_BODY error carrying the SyntaxError. */
  async json<T = unknown>(options?: { limit?: number }): Promise<T> {
    // Decodes here rather than awaiting text(): one async step fewer per body.
    const text = decoderFor(this.#options.contentType).decode(await this.bytes(options));
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new HttpClientError('INVALID_BODY', 'The response body is not valid JSON', {
        method: this.#options.method,
        url: this.#options.url,
        cause,
      });
    }
  }

  /**
   * Stops the transfer and releases the connection. Safe to call at any
   * time; a consumer that is still iterating gets an ABORTED error.
   */
  async cancel(reason?: unknown): Promise<void> {
    this.#used = true;
    if (this.#settled) return;
    this.#settled = true;
    this.#source.cancel(reason);
  }

  /** A WHATWG ReadableStream that pulls from this body only as fast as it is read. */
  toWeb(): ReadableStream<Uint8Array> {
    const iterator = this[Symbol.asyncIterator]();
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          const step = await iterator.next();
          if (step.done) controller.close();
          else controller.enqueue(step.value);
        },
        cancel: async (reason) => {
          await this.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
  }

  /** A Node Readable with backpressure; destroying it cancels the body. */
  toNode(): Readable {
    const iterator = this[Symbol.asyncIterator]();
    let reading = false;
    return new Readable({
      highWaterMark: 0,
      read() {
        if (reading) return;
        reading = true;
        iterator.next().then(
          (step) => {
            reading = false;
            this.push(step.done ? null : step.value);
          },
          (error: unknown) => {
            reading = false;
            this.destroy(error as Error);
          },
        );
      },
      destroy: (error, callback) => {
        if (!this.#settled) {
          this.#settled = true;
          this.#source.cancel(error ?? new Error('Readable destroyed'));
        }
        callback(error);
      },
    });
  }

  #limitError(limit: number, seen: number): HttpClientError {
    return new HttpClientError(
      'LIMIT_EXCEEDED',
      `Response body exceeds the buffering limit of ${limit} bytes`,
      {
        method: this.#options.method,
        url: this.#options.url,
        details: { limit: 'bufferLimit', max: limit, seen },
      },
    );
  }
}

/**
 * One UTF-8 decoder for every body: `decode()` without `stream` keeps no state
 * between calls, and building a TextDecoder per `text()` showed in profiles.
 */
const utf8Decoder = new TextDecoder('utf-8');

/** Reads the charset parameter of a media type; TextDecoder knows the labels. */
function decoderFor(contentType: string | null | undefined): TextDecoder {
  if (contentType) {
    const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
    const label = match?.[1] ?? match?.[2];
    if (label) {
      try {
        return new TextDecoder(label);
      } catch {
        // Unknown label: fall through to UTF-8, the web's default.
      }
    }
  }
  return utf8Decoder;
}

const textEncoder = new TextEncoder();

/**
 * A BodySource over any (async) iterable. Cancelling makes pending and later
 * reads reject with ABORTED and calls the iterator's `return()` so a
 * generator's `finally` runs.
 */
export function sourceFromIterable(
  input: Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>,
): BodySource {
  let iterator: Iterator<Uint8Array | string> | AsyncIterator<Uint8Array | string> | undefined;
  let cancelled: HttpClientError | undefined;
  let done = false;
  // Rejects the read in progress when cancel() comes while the producer is
  // stalled: a cancelled body must not wait for a generator that may never move.
  let interruptPending: ((error: HttpClientError) => void) | undefined;
  const open = () => {
    iterator ??=
      Symbol.asyncIterator in input
        ? (input as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]()
        : (input as Iterable<Uint8Array | string>)[Symbol.iterator]();
    return iterator;
  };
  const nextStep = (): Promise<IteratorResult<Uint8Array | string>> | IteratorResult<Uint8Array | string> => {
    const step = open().next();
    if (!(step instanceof Promise)) return step;
    return new Promise((resolve, reject) => {
      interruptPending = reject;
      step.then(resolve, reject).finally(() => {
        interruptPending = undefined;
      });
    });
  };
  return {
    async read() {
      for (;;) {
        if (cancelled) throw cancelled;
        if (done) return null;
        let step: IteratorResult<Uint8Array | string>;
        try {
          step = await nextStep();
        } catch (error) {
          if (cancelled) throw cancelled;
          done = true;
          if (HttpClientError.is(error)) throw error;
          throw new HttpClientError('CONNECTION_CLOSED', 'The response body source failed', { cause: error });
        }
        if (cancelled) throw cancelled;
        if (step.done) {
          done = true;
          return null;
        }
        const chunk = typeof step.value === 'string' ? textEncoder.encode(step.value) : step.value;
        if (chunk.byteLength > 0) return chunk;
      }
    },
    cancel(reason) {
      if (cancelled || done) {
        done = true;
        return;
      }
      cancelled = new HttpClientError('ABORTED', 'The response body was cancelled', { cause: reason });
      done = true;
      interruptPending?.(cancelled);
      const pending = iterator?.return?.();
      if (pending && typeof (pending as Promise<unknown>).then === 'function') {
        (pending as Promise<unknown>).then(undefined, () => undefined);
      }
    },
  };
}

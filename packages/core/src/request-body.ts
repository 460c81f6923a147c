import { Readable } from 'node:stream';
import { HttpClientError } from './errors.js';

/**
 * A request body as a transport sees it. `open()` gives the bytes; a body is
 * `replayable` when `open()` may be called again for a fresh copy (needed to
 * follow a 307 or retry). A one-shot body throws BODY_CONSUMED on a second
 * open rather than silently sending nothing.
 */
export interface RequestBody {
  /** Exact byte length when known up front (sent as Content-Length), else null (chunked). */
  readonly length: number | null;
  readonly replayable: boolean;
  /** The Content-Type this kind of body implies, used when the caller set none. */
  readonly contentType: string | null;
  /**
   * The whole body when it already sits in memory (`bytesBody`, `textBody`,
   * `jsonBody`): a transport may write these bytes together with the head
   * instead of iterating `open()`. Optional; when present it is exactly
   * what `open()` yields.
   */
  readonly bytes?: Uint8Array | undefined;
  open(): AsyncIterable<Uint8Array>;
}

/** What callers may pass as a body. */
export type BodyInit =
  | RequestBody
  | Uint8Array
  | ArrayBuffer
  | string
  | URLSearchParams
  | Blob
  | ReadableStream<Uint8Array>
  | Readable
  | AsyncIterable<Uint8Array | string>;

const encoder = new TextEncoder();

export function isRequestBody(value: unknown): value is RequestBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RequestBody).open === 'function' &&
    'replayable' in value &&
    'length' in value
  );
}

/** A replayable body over bytes already in memory. */
export function bytesBody(bytes: Uint8Array, contentType: string | null = null): RequestBody {
  return {
    length: bytes.byteLength,
    replayable: true,
    contentType,
    bytes,
    open: () => singleChunk(bytes),
  };
}

/** A replayable UTF-8 text body. */
export function textBody(text: string, contentType = 'text/plain;charset=UTF-8'): RequestBody {
  return bytesBody(encoder.encode(text), contentType);
}

/** A replayable JSON body (`application/json`). */
export function jsonBody(value: unknown): RequestBody {
  const text = JSON.stringify(value);
  if (text === undefined) {
    throw new HttpClientError('INVALID_REQUEST', 'JSON body is not serialisable', { requestSent: false });
  }
  return bytesBody(encoder.encode(text), 'application/json');
}

/**
 * A replayable body whose bytes come from a factory that can be called again
 * (a file, a generator function). `length` is the exact byte count or null.
 */
export function replayableBody(
  factory: () => AsyncIterable<Uint8Array>,
  length: number | null = null,
  contentType: string | null = null,
): RequestBody {
  return { length, replayable: true, contentType, open: factory };
}

/** A one-shot streamed body: readable once; a second open is BODY_CONSUMED. */
export function streamBody(
  source: AsyncIterable<Uint8Array | string>,
  length: number | null = null,
  contentType: string | null = null,
): RequestBody {
  let opened = false;
  return {
    length,
    replayable: false,
    contentType,
    open() {
      if (opened) {
        throw new HttpClientError(
          'BODY_CONSUMED',
          'This request body is a one-shot stream and was already sent',
          {
            requestSent: false,
          },
        );
      }
      opened = true;
      return asBytes(source);
    },
  };
}

/** Turns any accepted body input into a RequestBody (null/undefined stay null). */
export function toRequestBody(input: BodyInit | null | undefined): RequestBody | null {
  if (input === null || input === undefined) return null;
  if (typeof input === 'string') return textBody(input);
  if (input instanceof Uint8Array) return bytesBody(input);
  if (input instanceof ArrayBuffer) return bytesBody(new Uint8Array(input));
  if (input instanceof URLSearchParams) {
    return textBody(input.toString(), 'application/x-www-form-urlencoded;charset=UTF-8');
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    const blob = input;
    return replayableBody(
      () => webStreamChunks(blob.stream()),
      blob.size,
      blob.type === '' ? null : blob.type,
    );
  }
  if (isRequestBody(input)) return input;
  if (typeof ReadableStream !== 'undefined' && input instanceof ReadableStream) {
    return streamBody(webStreamChunks(input as ReadableStream<Uint8Array>));
  }
  if (input instanceof Readable) return streamBody(input as AsyncIterable<Uint8Array | string>);
  if (typeof (input as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    return streamBody(input as AsyncIterable<Uint8Array | string>);
  }
  throw new HttpClientError('INVALID_REQUEST', `Unsupported request body type: ${describe(input)}`, {
    requestSent: false,
  });
}

function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  return (value as object).constructor?.name ?? 'object';
}

async function* singleChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  if (bytes.byteLength > 0) yield bytes;
}

/**
 * Normalises chunks to bytes. A plain iterator rather than a generator, so
 * `return()` reaches the caller's stream at once even while a `next()` is
 * pending on it (a generator would queue the return behind the stalled read).
 */
function asBytes(source: AsyncIterable<Uint8Array | string>): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      const inner = source[Symbol.asyncIterator]();
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          for (;;) {
            const step = await inner.next();
            if (step.done) return { done: true, value: undefined };
            const chunk = step.value;
            if (typeof chunk === 'string') {
              if (chunk.length > 0) return { done: false, value: encoder.encode(chunk) };
            } else if (chunk instanceof Uint8Array) {
              if (chunk.byteLength > 0) return { done: false, value: chunk };
            } else {
              throw new HttpClientError(
                'INVALID_REQUEST',
                `Request body yielded a ${describe(chunk)}, not bytes`,
                {
                  requestSent: true,
                },
              );
            }
          }
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          await inner.return?.();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

async function* webStreamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value.byteLength > 0) yield value;
    }
  } finally {
    // Cancelling on early exit tells the producer to stop (abort mid-upload).
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

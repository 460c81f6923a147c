import type { HeaderInit } from '@x/headers';
import { type Clock, systemClock } from './clock.js';
import { abortError, HttpClientError, toHttpClientError } from './errors.js';
import { createResponse, type ResponseBodyInit } from './response.js';
import type { HttpRequest, HttpResponse, HttpTransport, ResponseMeta } from './transport.js';

/** A request as the mock saw it, with its body already read (the contract says a transport ends it). */
export interface RecordedRequest extends HttpRequest {
  /** The body's bytes, or null for a bodiless request. */
  readonly bodyBytes: Uint8Array | null;
}

/** What a handler may answer with: a plain description, or a ready HttpResponse. */
export interface MockReply {
  status?: number;
  reason?: string;
  httpVersion?: '1.0' | '1.1';
  headers?: HeaderInit;
  /** Bytes, text, or (async) iterable chunks: an async generator can stream slowly or throw mid-body. */
  body?: ResponseBodyInit;
  trailers?: HeaderInit;
  /** Milliseconds (on the mock's clock) before the head is delivered; aborting during it works. */
  delay?: number;
  meta?: ResponseMeta;
  /** Overrides the response URL (default: the request's). */
  url?: URL | string;
}

export interface MockContext {
  /** 1 for the first request this transport received, 2 for the next, ... */
  readonly index: number;
  readonly clock: Clock;
}

/** Answers a request. Throw an HttpClientError to fail it; other throws become CONNECTION_CLOSED. */
export type MockHandler = (
  request: RecordedRequest,
  context: MockContext,
) => MockReply | HttpResponse | Promise<MockReply | HttpResponse>;

export interface MockTransportOptions {
  clock?: Clock;
}

export interface MockTransport extends HttpTransport {
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  readonly closed: boolean;
}

/**
 * An in-memory HttpTransport for tests: no sockets. It records each request
 * (body read to bytes), asks `handler` for the answer, and honours the
 * request's AbortSignal before the head and while the body streams.
 */
export function createMockTransport(handler: MockHandler, options: MockTransportOptions = {}): MockTransport {
  const clock = options.clock ?? systemClock();
  const requests: RecordedRequest[] = [];
  let closed = false;

  async function request(request: HttpRequest): Promise<HttpResponse> {
    const { method, url, signal } = request;
    if (closed) {
      throw new HttpClientError('TRANSPORT_CLOSED', 'The transport is closed', {
        method,
        url,
        requestSent: false,
      });
    }
    if (signal?.aborted) throw abortError(signal, { method, url, requestSent: false });
    let bodyBytes: Uint8Array | null;
    try {
      bodyBytes = request.body === null ? null : await readAll(request.body.open(), signal);
    } catch (error) {
      if (signal?.aborted) throw abortError(signal, { method, url, requestSent: true });
      throw toHttpClientError(error, {
        code: 'INVALID_REQUEST',
        message: 'Reading the request body failed',
        method,
        url,
        requestSent: true,
      });
    }
    const recorded: RecordedRequest = Object.freeze({ ...request, bodyBytes });
    requests.push(recorded);

    let reply: MockReply | HttpResponse;
    try {
      reply = await handler(recorded, { index: requests.length, clock });
    } catch (error) {
      throw toHttpClientError(error, {
        code: 'CONNECTION_CLOSED',
        message: 'The mock handler failed',
        method,
        url,
        requestSent: true,
      });
    }
    if (isHttpResponse(reply)) return reply;
    if (reply.delay !== undefined && reply.delay > 0) await sleep(clock, reply.delay, signal, method, url);
    if (signal?.aborted) throw abortError(signal, { method, url, requestSent: true });
    return createResponse({
      status: reply.status ?? 200,
      reason: reply.reason,
      httpVersion: reply.httpVersion,
      headers: reply.headers,
      url: reply.url ?? url,
      body: method === 'HEAD' ? null : reply.body,
      trailers: reply.trailers,
      meta: reply.meta,
      signal,
      method,
    });
  }

  return {
    request,
    get requests() {
      return requests;
    },
    get closed() {
      return closed;
    },
    async close() {
      closed = true;
    },
  };
}

function isHttpResponse(value: MockReply | HttpResponse): value is HttpResponse {
  return typeof (value as HttpResponse).trailers?.then === 'function' && 'body' in value && 'meta' in value;
}

/**
 * Reads a request body to bytes, as a server would receive it. An abort
 * stops at once, even while the producer is stalled, and tells the
 * producer to stop (its `return()` runs).
 */
async function readAll(
  source: AsyncIterable<Uint8Array>,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal?.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    for (;;) {
      const step = await Promise.race([iterator.next(), aborted]);
      if (step.done) break;
      chunks.push(step.value);
      total += step.value.byteLength;
    }
  } catch (error) {
    iterator.return?.()?.catch(() => undefined);
    throw error;
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function sleep(
  clock: Clock,
  ms: number,
  signal: AbortSignal | undefined,
  method: string,
  url: URL,
): Promise<void> {
  return new Promise((resolve, reject) => {
    // The signal may have fired while the handler ran: a listener added now would never be called.
    if (signal?.aborted) {
      reject(abortError(signal, { method, url, requestSent: true }));
      return;
    }
    const onAbort = () => {
      timer.cancel();
      reject(abortError(signal as AbortSignal, { method, url, requestSent: true }));
    };
    const timer = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

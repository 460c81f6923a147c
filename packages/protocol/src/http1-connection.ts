import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { abortError, HttpClientError, type HttpRequest, type HttpResponse, toHttpClientError } from '@x/core';
import { ConnectionCore } from './connection-core.js';
import type {
  ConnectionCloseInfo,
  Http1ConnectionEvents,
  Http1ConnectionOptions,
  Http1RequestContext,
} from './connection-types.js';
import { createExchange } from './exchange.js';
import { phaseTimeout } from './phase-timeouts.js';
import { RequestPump } from './request-pump.js';
import { ResponseReader } from './response-reader.js';
import { serializeRequestHead } from './serializer.js';
import type { SocketReadHook } from './socket-reads.js';

export type { ConnectionCloseInfo, Http1ConnectionEvents, Http1ConnectionOptions, Http1RequestContext };

/**
 * HTTP/1.1 over one Duplex: requests written in order, responses parsed in
 * order, bodies streamed both ways with backpressure. It never decides
 * policy (which connection, how deep to pipeline): that is the pool's.
 *
 * The work is split by side: `request-pump.ts` writes requests,
 * `response-reader.ts` reads responses, `connection-core.ts` holds the
 * shared state and ends exchanges and the connection.
 */
export class Http1Connection extends EventEmitter<Http1ConnectionEvents> {
  readonly id: number;
  readonly #core: ConnectionCore;
  readonly #pump: RequestPump;

  constructor(socket: Duplex, options: Http1ConnectionOptions = {}) {
    super();
    const core = new ConnectionCore(socket, options, {
      idle: () => this.emit('idle'),
      close: (info) => this.emit('close', info),
    });
    this.id = core.id;
    this.#core = core;
    const reader = new ResponseReader(core, () => this.#pump.pump());
    this.#pump = new RequestPump(core, reader);
    core.listeners = {
      data: reader.onData,
      end: reader.onEnd,
      error: reader.onError,
      close: reader.onClose,
      drain: this.#pump.onDrain,
    };
    if (core.reads === null) socket.on('data', reader.onData);
    else attachReads(core, core.reads, reader);
    socket.on('end', reader.onEnd);
    socket.on('error', reader.onError);
    socket.on('close', reader.onClose);
    socket.on('drain', this.#pump.onDrain);
    if (socket.destroyed) queueMicrotask(() => reader.onClose());
  }

  /** Open, not closing, not told to close by a response, and under `maxRequests`. */
  get reusable(): boolean {
    return this.#core.reusable;
  }

  /** Reusable with nothing queued or in flight. */
  get idle(): boolean {
    return this.#core.idle;
  }

  /** Reusable with room for one more request at the pipelining depth. */
  get hasCapacity(): boolean {
    return this.reusable && this.#core.exchanges.length < this.#core.maxPipelined;
  }

  /** Exchanges queued or in flight. */
  get pending(): number {
    return this.#core.exchanges.length;
  }

  /** Requests written (or being written) on this connection so far. */
  get requestCount(): number {
    return this.#core.requestCount;
  }

  /** The server's `Keep-Alive: timeout=N` hint from the latest response, in ms. */
  get keepAliveTimeout(): number | undefined {
    return this.#core.keepAliveTimeout;
  }

  get closed(): boolean {
    return this.#core.state === 'closed';
  }

  /** Settles once with how the connection ended. */
  whenClosed(): Promise<ConnectionCloseInfo> {
    return this.#core.closed;
  }

  /**
   * Sends a request and resolves with the response head; the body streams
   * after. Requests are queued in order; a new one is written only when the
   * previous was fully written and fewer than `maxPipelined` await responses.
   * Rejects with CONNECTION_CLOSED (`requestSent: false`) when not reusable.
   */
  request(request: HttpRequest, context: Http1RequestContext = {}): Promise<HttpResponse> {
    const core = this.#core;
    const clock = core.clock;
    const startedAt = context.startedAt ?? clock.monotonic();
    if (!this.reusable) {
      return Promise.reject(
        new HttpClientError('CONNECTION_CLOSED', 'This connection cannot carry another request', {
          method: request.method,
          url: request.url,
          requestSent: false,
        }),
      );
    }
    let serialized: ReturnType<typeof serializeRequestHead>;
    try {
      const last = core.requestCount + core.queued() + 1 >= core.maxRequests;
      serialized = serializeRequestHead(request, { connectionClose: last });
    } catch (error) {
      return Promise.reject(
        toHttpClientError(error, {
          code: 'INVALID_REQUEST',
          message: 'Invalid request',
          method: request.method,
          url: request.url,
          requestSent: false,
        }),
      );
    }
    const signal = request.signal;
    if (signal?.aborted) {
      return Promise.reject(
        abortError(signal, { method: request.method, url: request.url, requestSent: false }),
      );
    }
    return new Promise<HttpResponse>((resolve, reject) => {
      const exchange = createExchange(
        request,
        serialized,
        {
          startedAt,
          connectedAt: core.options.connectedAt,
          reused: core.requestCount + core.exchanges.length > 0,
        },
        resolve,
        reject,
      );
      if (signal !== undefined) {
        const onAbort = () => core.abort(exchange);
        signal.addEventListener('abort', onAbort, { once: true });
        exchange.detachSignal = () => signal.removeEventListener('abort', onAbort);
      }
      const total = phaseTimeout(request, core.options.timeouts, 'total');
      if (total !== undefined) {
        const remaining = Math.max(0, total - (clock.monotonic() - startedAt));
        exchange.totalTimer = clock.setTimer(() => core.timeout(exchange, 'total'), remaining);
      }
      if (serialized.closeRequested) core.closeQueued = true;
      core.exchanges.push(exchange);
      this.#pump.pump();
    });
  }

  /** Graceful: refuses new requests, lets queued and in-flight exchanges finish, then closes. Idempotent. */
  close(): Promise<void> {
    const core = this.#core;
    if (core.state === 'open') core.state = 'closing';
    if (core.state === 'closing' && core.exchanges.length === 0) core.shutdown(null);
    return core.closed.then(() => undefined);
  }

  /** Closes now: every unfinished exchange fails (with `error` for the one being read). */
  destroy(error?: HttpClientError): void {
    this.#core.shutdown(error ?? null);
  }
}

/**
 * Routes a hooked socket's reads to the connection. Bytes that arrived before
 * (kept in the socket's Readable buffer) are read first, a microtask later as
 * a `'data'` listener would have seen them; then the socket is set flowing so
 * its end is reported as for any listener.
 */
function attachReads(core: ConnectionCore, reads: SocketReadHook, reader: ResponseReader): void {
  const socket = core.socket;
  reads.attach(reader.sink);
  if (socket.readableLength === 0) {
    socket.resume();
    return;
  }
  queueMicrotask(() => {
    for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) {
      reader.onData(chunk);
    }
    if (!socket.destroyed && !core.paused) socket.resume();
  });
}

import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import {
  abortError,
  type Clock,
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  systemClock,
  type TimeoutPhase,
  toHttpClientError,
} from '@x/core';
import { HeaderList } from '@x/headers';
import { buildResponse, cancelledError, connectionInfo } from './build-response.js';
import type {
  ConnectionCloseInfo,
  Http1ConnectionEvents,
  Http1ConnectionOptions,
  Http1RequestContext,
} from './connection-types.js';
import { DrainWaiters } from './drain-waiters.js';
import {
  createExchange,
  type Exchange,
  failureOnClose,
  releaseExchange,
  waitForContinue,
} from './exchange.js';
import { keepAliveTimeoutHint } from './framing.js';
import { phaseTimeout, timeoutError } from './phase-timeouts.js';
import { protocolError } from './protocol-errors.js';
import type { UpgradedConnection } from './request-options.js';
import { writeRequest } from './request-writer.js';
import { type ResponseHead, ResponseParser } from './response-parser.js';
import { serializeRequestHead } from './serializer.js';
import { SocketBodySource } from './socket-body-source.js';

export type { ConnectionCloseInfo, Http1ConnectionEvents, Http1ConnectionOptions, Http1RequestContext };

type State = 'open' | 'closing' | 'closed';

/**
 * HTTP/1.1 over one Duplex: requests written in order, responses parsed in
 * order, bodies streamed both ways with backpressure. It never decides
 * policy (which connection, how deep to pipeline): that is the pool's.
 */
export class Http1Connection extends EventEmitter<Http1ConnectionEvents> {
  readonly id: number;
  readonly #socket: Duplex;
  readonly #clock: Clock;
  readonly #options: Http1ConnectionOptions;
  readonly #parser: ResponseParser;
  readonly #maxPipelined: number;
  readonly #maxRequests: number;
  readonly #exchanges: Exchange[] = [];
  #writing: Exchange | null = null;
  #parsing: Exchange | null = null;
  #state: State = 'open';
  #keepAlive = true;
  /** A request saying `Connection: close` is queued: nothing may follow it. */
  #closeQueued = false;
  #requestCount = 0;
  #keepAliveTimeout: number | undefined;
  #paused = false;
  readonly #drainWaiters = new DrainWaiters();
  #closeInfo: ConnectionCloseInfo | null = null;
  #closed: Promise<ConnectionCloseInfo>;
  #resolveClosed!: (info: ConnectionCloseInfo) => void;
  #socketError: unknown;

  constructor(socket: Duplex, options: Http1ConnectionOptions = {}) {
    super();
    this.id = options.id ?? 0;
    this.#socket = socket;
    this.#options = options;
    this.#clock = options.clock ?? systemClock();
    this.#maxPipelined = Math.max(1, Math.floor(options.maxPipelined ?? 1));
    this.#maxRequests = Math.max(1, options.maxRequests ?? Number.POSITIVE_INFINITY);
    this.#closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.#parser = new ResponseParser(
      {
        onInterim: (head) => this.#onInterim(head),
        onHead: (head) => this.#onHead(head),
        onBody: (chunk) => this.#onBody(chunk),
        onTrailers: (raw) => {
          const exchange = this.#parsing;
          if (exchange !== null) exchange.trailers = HeaderList.fromRaw(raw);
        },
        onComplete: () => this.#onComplete(),
      },
      options,
    );
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
    socket.on('drain', this.#onDrain);
    if (socket.destroyed) queueMicrotask(() => this.#onClose());
  }

  /** Open, not closing, not told to close by a response, and under `maxRequests`. */
  get reusable(): boolean {
    return (
      this.#state === 'open' &&
      this.#keepAlive &&
      !this.#closeQueued &&
      this.#requestCount + this.#queued() < this.#maxRequests
    );
  }

  /** Reusable with nothing queued or in flight. */
  get idle(): boolean {
    return this.reusable && this.#exchanges.length === 0;
  }

  /** Reusable with room for one more request at the pipelining depth. */
  get hasCapacity(): boolean {
    return this.reusable && this.#exchanges.length < this.#maxPipelined;
  }

  /** Exchanges queued or in flight. */
  get pending(): number {
    return this.#exchanges.length;
  }

  /** Requests written (or being written) on this connection so far. */
  get requestCount(): number {
    return this.#requestCount;
  }

  /** The server's `Keep-Alive: timeout=N` hint from the latest response, in ms. */
  get keepAliveTimeout(): number | undefined {
    return this.#keepAliveTimeout;
  }

  get closed(): boolean {
    return this.#state === 'closed';
  }

  /** Settles once with how the connection ended. */
  whenClosed(): Promise<ConnectionCloseInfo> {
    return this.#closed;
  }

  /**
   * Sends a request and resolves with the response head; the body streams
   * after. Requests are queued in order; a new one is written only when the
   * previous was fully written and fewer than `maxPipelined` await responses.
   * Rejects with CONNECTION_CLOSED (`requestSent: false`) when not reusable.
   */
  request(request: HttpRequest, context: Http1RequestContext = {}): Promise<HttpResponse> {
    const clock = this.#clock;
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
      const last = this.#requestCount + this.#queued() + 1 >= this.#maxRequests;
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
          connectedAt: this.#options.connectedAt,
          reused: this.#requestCount + this.#exchanges.length > 0,
        },
        resolve,
        reject,
      );
      if (signal !== undefined) {
        const onAbort = () => this.#abort(exchange);
        signal.addEventListener('abort', onAbort, { once: true });
        exchange.detachSignal = () => signal.removeEventListener('abort', onAbort);
      }
      const total = phaseTimeout(request, this.#options.timeouts, 'total');
      if (total !== undefined) {
        const remaining = Math.max(0, total - (clock.monotonic() - startedAt));
        exchange.totalTimer = clock.setTimer(() => this.#timeout(exchange, 'total'), remaining);
      }
      if (serialized.closeRequested) this.#closeQueued = true;
      this.#exchanges.push(exchange);
      this.#pump();
    });
  }

  /** Graceful: refuses new requests, lets queued and in-flight exchanges finish, then closes. Idempotent. */
  close(): Promise<void> {
    if (this.#state === 'open') this.#state = 'closing';
    if (this.#state === 'closing' && this.#exchanges.length === 0) this.#shutdown(null);
    return this.#closed.then(() => undefined);
  }

  /** Closes now: every unfinished exchange fails (with `error` for the one being read). */
  destroy(error?: HttpClientError): void {
    this.#shutdown(error ?? null);
  }

  #queued(): number {
    let count = 0;
    for (const exchange of this.#exchanges) if (exchange.stage === 'queued') count++;
    return count;
  }

  /** Starts writing the next queued request when the pipelining rules allow. */
  #pump(): void {
    if (this.#writing !== null || this.#state === 'closed') return;
    const next = this.#exchanges.find((exchange) => exchange.stage === 'queued');
    if (next === undefined) return;
    const index = this.#exchanges.indexOf(next);
    if (index > 0) {
      if (index >= this.#maxPipelined || !this.#keepAlive) return;
      const previous = this.#exchanges[index - 1] as Exchange;
      const options = previous.request.options.http1;
      // Never pipeline behind a request whose next bytes are not HTTP or not yet decided.
      if (!previous.writeFinished || previous.serialized.expectContinue || options?.upgrade) return;
      if (previous.serialized.closeRequested) return;
      if (previous.request.method === 'CONNECT') return;
    }
    this.#startWrite(next);
  }

  #startWrite(exchange: Exchange): void {
    exchange.stage = 'writing';
    this.#writing = exchange;
    this.#requestCount++;
    if (this.#exchanges[0] === exchange) this.#beginParsing(exchange);
    const whenStopped = new Promise<void>((resolve) => {
      exchange.stopWriting = resolve;
    });
    const channel = {
      whenStopped,
      socket: this.#socket,
      stopped: () => exchange.head !== null || exchange.stage === 'failed' || this.#state === 'closed',
      drained: () => this.#drained(exchange),
      continueDecision: () =>
        waitForContinue(
          exchange,
          this.#clock,
          exchange.request.options.http1?.expectContinueTimeout ??
            this.#options.expectContinueTimeout ??
            1000,
        ),
      firstWrite: () => {
        exchange.requestSent = true;
      },
      lastWrite: () => {
        // Synchronous, so a response racing the promise below is not taken for an early one.
        exchange.writeFinished = true;
      },
    };
    writeRequest(exchange.request, exchange.serialized, channel).then(
      (outcome) => {
        if (this.#writing === exchange) this.#writing = null;
        exchange.writeFinished = true;
        if (outcome !== 'complete') exchange.bodyIncomplete = true;
        exchange.timings.requestSent = this.#clock.monotonic();
        if (exchange.stage === 'writing') exchange.stage = 'awaiting-head';
        if (this.#parsing === exchange && exchange.head === null) this.#armHeadersTimer(exchange);
        if (outcome !== 'complete' && exchange.stage === 'complete' && this.#exchanges.length === 0) {
          // The response finished before the body did; the framing of what we sent is broken.
          this.#shutdown(null);
          return;
        }
        this.#pump();
      },
      (error: unknown) => {
        if (this.#writing === exchange) this.#writing = null;
        exchange.writeFinished = true;
        if (exchange.stage === 'failed' || this.#state === 'closed') return;
        const { method, url } = exchange.request;
        const failure = toHttpClientError(error, {
          code: 'INVALID_REQUEST',
          message: 'The request body failed',
          requestSent: exchange.requestSent,
        }).withRequest(method, url, exchange.requestSent);
        if (!exchange.requestSent) {
          // Nothing reached the socket: only this exchange fails.
          this.#requestCount--;
          if (this.#parsing === exchange) this.#parsing = null;
          exchange.stage = 'queued';
          this.#failOne(exchange, failure);
          this.#pump();
          return;
        }
        // Part of a request is on the wire: the connection's framing is lost.
        this.#shutdown(failure, exchange);
      },
    );
  }

  /** Points the parser at the exchange whose response comes next. */
  #beginParsing(exchange: Exchange): void {
    this.#parsing = exchange;
    this.#parser.reset(exchange.request.method);
    if (exchange.writeFinished && exchange.head === null) this.#armHeadersTimer(exchange);
  }

  #armHeadersTimer(exchange: Exchange): void {
    if (exchange.headersTimer !== null) return;
    const ms = phaseTimeout(exchange.request, this.#options.timeouts, 'headers') as number;
    exchange.headersTimer = this.#clock.setTimer(() => this.#timeout(exchange, 'headers'), ms);
  }

  #armIdleTimer(exchange: Exchange): void {
    exchange.idleTimer?.cancel();
    const ms = phaseTimeout(exchange.request, this.#options.timeouts, 'bodyIdle') as number;
    exchange.idleTimer = this.#clock.setTimer(() => this.#timeout(exchange, 'body-idle'), ms);
  }

  #drained(exchange: Exchange): Promise<void> {
    if (this.#state === 'closed')
      return Promise.reject(new HttpClientError('CONNECTION_CLOSED', 'Closed', { requestSent: true }));
    // A server that stops reading our body stalls the upload: bounded by the idle deadline.
    const ms = phaseTimeout(exchange.request, this.#options.timeouts, 'bodyIdle') as number;
    return this.#drainWaiters.wait(() =>
      this.#clock.setTimer(() => this.#timeout(exchange, 'body-idle'), ms),
    );
  }

  readonly #onDrain = (): void => {
    this.#drainWaiters.drained();
  };

  readonly #onData = (chunk: Buffer): void => {
    let offset = 0;
    while (offset < chunk.length && this.#state !== 'closed') {
      const exchange = this.#exchanges[0];
      if (exchange === undefined || !exchange.requestSent) {
        // RFC 9112 §9.6 / SECURITY.md rule 10: never read stray bytes as a response.
        this.#shutdown(protocolError('unsolicited-response', 'Bytes arrived while no response was awaited'));
        return;
      }
      if (this.#parsing !== exchange) this.#beginParsing(exchange);
      exchange.responseStarted = true;
      let used: number;
      try {
        used = this.#parser.execute(offset === 0 ? chunk : chunk.subarray(offset));
      } catch (error) {
        this.#shutdown(error as HttpClientError, exchange);
        return;
      }
      offset += used;
      if (this.#parser.state === 'complete' && !this.#finishExchange(exchange, chunk.subarray(offset)))
        return;
    }
    const reader = this.#exchanges[0];
    if (reader?.body && reader.body.buffered > 0 && !this.#paused && this.#state !== 'closed') {
      // Backpressure: nobody has read what we have; stop reading the socket.
      this.#paused = true;
      this.#socket.pause();
      // Silence while our consumer is slow is not the server's fault.
      reader.idleTimer?.cancel();
      reader.idleTimer = null;
    }
  };

  #resume(exchange: Exchange): void {
    if (!this.#paused || this.#exchanges[0] !== exchange || this.#state === 'closed') return;
    this.#paused = false;
    if (exchange.stage === 'body') this.#armIdleTimer(exchange);
    this.#socket.resume();
  }

  #onInterim(head: ResponseHead): void {
    const exchange = this.#parsing;
    if (exchange === null) return;
    if (head.status === 100) {
      exchange.continueWith?.(true);
      return;
    }
    const callback = exchange.request.options.http1?.onInformational;
    if (callback === undefined) return;
    try {
      callback({ status: head.status, reason: head.reason, headers: HeaderList.fromRaw(head.rawHeaders) });
    } catch {
      // A hint callback must not break the exchange.
    }
  }

  #onHead(head: ResponseHead): void {
    const exchange = this.#parsing as Exchange;
    exchange.head = head;
    exchange.timings.headers = this.#clock.monotonic();
    exchange.headersTimer?.cancel();
    exchange.headersTimer = null;
    const upgrade =
      head.status === 101 ||
      (exchange.request.method === 'CONNECT' && head.status >= 200 && head.status < 300);
    if (upgrade && exchange.request.options.http1?.upgrade !== true) {
      throw protocolError(
        'unexpected-upgrade',
        `Got ${head.status} switching protocols without asking for it`,
      );
    }
    if (!exchange.writeFinished || exchange.continueWith !== null) {
      // A final response before the whole body was sent (RFC 9110 §10.1.1):
      // stop sending; the connection cannot be reused.
      exchange.bodyIncomplete = true;
      exchange.continueWith?.(false);
      exchange.stopWriting?.();
    }
    exchange.headers = HeaderList.fromRaw(head.rawHeaders);
    this.#keepAliveTimeout =
      keepAliveTimeoutHint(exchange.headers.get('keep-alive')) ?? this.#keepAliveTimeout;
    if (upgrade) return; // resolved in #finishExchange, which knows the bytes after the head
    exchange.stage = 'body';
    this.#resolveHead(exchange, undefined);
    if (head.framing.kind !== 'none') this.#armIdleTimer(exchange);
  }

  #resolveHead(exchange: Exchange, upgrade: UpgradedConnection | undefined): void {
    const source = new SocketBodySource({
      onDemand: () => this.#resume(exchange),
      onCancel: (reason) => {
        if (exchange.stage === 'body') this.#shutdown(cancelledError(exchange.request, reason), exchange);
      },
    });
    exchange.body = source;
    exchange.resolve(
      buildResponse({
        request: exchange.request,
        head: exchange.head as ResponseHead,
        headers: exchange.headers ?? HeaderList.fromRaw((exchange.head as ResponseHead).rawHeaders),
        source,
        trailers: exchange.trailersPromise,
        socket: this.#socket,
        connection: connectionInfo(this.#socket, this.id, exchange.reused),
        timings: exchange.timings,
        bufferLimit: this.#options.bufferLimit,
        extraMeta: upgrade === undefined ? undefined : { upgrade },
      }),
    );
  }

  #onBody(chunk: Buffer): void {
    const exchange = this.#parsing;
    if (exchange === null) return;
    exchange.body?.push(chunk);
    exchange.idleTimer?.refresh();
  }

  #onComplete(): void {
    const exchange = this.#parsing;
    if (exchange === null || exchange.head === null || exchange.head.status === 101) return;
    exchange.idleTimer?.cancel();
    exchange.body?.end();
    exchange.resolveTrailers(exchange.trailers ?? new HeaderList());
  }

  /**
   * After a complete response: hands over an upgraded socket, or decides
   * whether the connection goes on. Returns false when it stopped reading.
   */
  #finishExchange(exchange: Exchange, rest: Buffer): boolean {
    const head = exchange.head as ResponseHead;
    const upgraded = exchange.stage !== 'body';
    exchange.stage = 'complete';
    releaseExchange(exchange);
    this.#exchanges.shift();
    this.#parsing = null;
    if (upgraded) {
      this.#detach();
      this.#resolveHead(exchange, { socket: this.#socket, head: Uint8Array.prototype.slice.call(rest) });
      exchange.body?.end();
      exchange.resolveTrailers(new HeaderList());
      this.#shutdown(null, undefined, true);
      return false;
    }
    if (!head.framing.keepAlive || exchange.serialized.closeRequested || exchange.bodyIncomplete)
      this.#keepAlive = false;
    if (this.#requestCount >= this.#maxRequests && this.#exchanges.length === 0) this.#keepAlive = false;
    if (!this.#keepAlive) {
      this.#shutdown(null);
      return false;
    }
    const next = this.#exchanges[0];
    if (next?.requestSent) {
      this.#beginParsing(next);
      return true;
    }
    if (rest.length > 0) {
      this.#shutdown(protocolError('unsolicited-response', 'Bytes followed a complete response'));
      return false;
    }
    if (this.#paused) {
      this.#paused = false;
      this.#socket.resume();
    }
    if (this.#exchanges.length === 0) {
      if (this.#state === 'closing') {
        this.#shutdown(null);
        return false;
      }
      this.emit('idle');
    } else {
      this.#pump();
    }
    return true;
  }

  readonly #onEnd = (): void => {
    const exchange = this.#exchanges[0];
    if (exchange?.requestSent && this.#state !== 'closed') {
      if (this.#parsing !== exchange) this.#beginParsing(exchange);
      try {
        this.#parser.finish();
      } catch (error) {
        this.#shutdown(error as HttpClientError, exchange);
        return;
      }
      if (this.#parser.state === 'complete') this.#finishExchange(exchange, Buffer.alloc(0));
    }
    this.#shutdown(null);
  };

  readonly #onError = (error: unknown): void => {
    this.#socketError ??= error;
  };

  readonly #onClose = (): void => {
    if (this.#state === 'closed') return;
    const exchange = this.#exchanges[0];
    let failure: HttpClientError | null = null;
    if (exchange?.requestSent) {
      if (this.#parsing !== exchange) this.#beginParsing(exchange);
      try {
        this.#parser.finish();
      } catch (error) {
        failure = error as HttpClientError;
      }
      if (failure === null && this.#parser.state === 'complete') {
        this.#finishExchange(exchange, Buffer.alloc(0));
      }
    }
    if (failure !== null && this.#socketError !== undefined) {
      failure = new HttpClientError(failure.code, failure.message, {
        requestSent: true,
        details: failure.details,
        cause: this.#socketError,
      });
    }
    this.#shutdown(failure, exchange);
  };

  #abort(exchange: Exchange): void {
    const signal = exchange.request.signal as AbortSignal;
    const error = abortError(signal, {
      method: exchange.request.method,
      url: exchange.request.url,
      requestSent: exchange.requestSent,
    });
    this.#failOne(exchange, error);
  }

  #timeout(exchange: Exchange, phase: TimeoutPhase): void {
    this.#failOne(exchange, timeoutError(exchange.request, phase, exchange.requestSent));
  }

  /** Fails one exchange; a queued one leaves quietly, one in flight takes the connection down. */
  #failOne(exchange: Exchange, error: HttpClientError): void {
    if (exchange.stage === 'complete' || exchange.stage === 'failed') return;
    if (exchange.stage === 'queued') {
      this.#exchanges.splice(this.#exchanges.indexOf(exchange), 1);
      this.#closeQueued = this.#exchanges.some((other) => other.serialized.closeRequested);
      this.#failExchange(exchange, error);
      if (this.#exchanges.length === 0 && this.idle) this.emit('idle');
      return;
    }
    this.#shutdown(error, exchange);
  }

  #failExchange(exchange: Exchange, error: HttpClientError): void {
    const stage = exchange.stage;
    exchange.stage = 'failed';
    releaseExchange(exchange);
    if (stage === 'complete' || stage === 'failed') return;
    if (exchange.body === null) exchange.reject(error);
    else exchange.body.fail(error);
    exchange.rejectTrailers(error);
  }

  /** Ends the connection: destroys the socket and fails what is unfinished. Runs once. */
  #shutdown(error: HttpClientError | null, culprit?: Exchange, keepSocket = false): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#keepAlive = false;
    const waitingForResponse = this.#exchanges.some(
      (exchange) => exchange.requestSent && !exchange.responseStarted,
    );
    const noResponseBytes = this.#exchanges.every((exchange) => !exchange.responseStarted);
    if (!keepSocket && !this.#socket.destroyed) this.#socket.destroy();
    const exchanges = this.#exchanges.splice(0);
    const reader = culprit ?? exchanges.find((exchange) => exchange.requestSent);
    for (const exchange of exchanges) {
      this.#failExchange(exchange, failureOnClose(exchange, error, exchange === reader));
    }
    this.#drainWaiters.fail(error);
    this.#closeInfo = {
      error,
      requestCount: this.#requestCount,
      beforeResponse: waitingForResponse && noResponseBytes,
    };
    this.#resolveClosed(this.#closeInfo);
    this.emit('close', this.#closeInfo);
  }

  /** Stops listening to the socket so an upgraded protocol can own it. */
  #detach(): void {
    const socket = this.#socket;
    socket.off('data', this.#onData);
    socket.off('end', this.#onEnd);
    socket.off('close', this.#onClose);
    socket.off('drain', this.#onDrain);
    socket.off('error', this.#onError);
    // A late error must not become an uncaught exception before the new owner listens.
    socket.on('error', () => undefined);
    // Paused until the new owner reads: nothing is lost in between.
    socket.pause();
  }
}

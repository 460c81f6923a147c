import type { Duplex } from 'node:stream';
import { abortError, type Clock, type HttpClientError, systemClock, type TimeoutPhase } from '@x/core';
import { type DrainSettings, drainSettings } from './body-drain.js';
import type { ConnectionCloseInfo, Http1ConnectionOptions } from './connection-types.js';
import { DrainWaiters } from './drain-waiters.js';
import { type Exchange, failureOnClose, releaseExchange } from './exchange.js';
import { phaseTimeout, timeoutError } from './phase-timeouts.js';
import { type SocketReadHook, socketReadsOf } from './socket-reads.js';

export type ConnectionStateName = 'open' | 'closing' | 'closed';

/** What the core tells the public connection object (which re-emits them as events). */
export interface ConnectionSignals {
  idle(): void;
  close(info: ConnectionCloseInfo): void;
}

/** The socket listeners the connection registered, so an upgrade can remove them. */
export interface SocketListeners {
  data(chunk: Buffer): void;
  end(): void;
  error(error: unknown): void;
  close(): void;
  drain(): void;
}

/**
 * The state one `Http1Connection` shares between its write side
 * (`request-pump.ts`) and its read side (`response-reader.ts`), and the
 * ways an exchange or the whole connection ends: timeouts, aborts,
 * failures and shutdown. Internal: not exported from the package.
 */
export class ConnectionCore {
  readonly id: number;
  readonly socket: Duplex;
  readonly clock: Clock;
  readonly options: Http1ConnectionOptions;
  readonly maxPipelined: number;
  readonly maxRequests: number;
  /** Bounds for draining a cancelled body; null: close instead. */
  readonly drainOnCancel: DrainSettings | null;
  /** Queued and in-flight exchanges, in request order. */
  readonly exchanges: Exchange[] = [];
  readonly drainWaiters = new DrainWaiters();
  /** The exchange whose request is being written. */
  writing: Exchange | null = null;
  /** The exchange whose response the parser is reading. */
  parsing: Exchange | null = null;
  state: ConnectionStateName = 'open';
  /** False once a response, a request or a failure ruled out another exchange. */
  keepAlive = true;
  /** A request saying `Connection: close` is queued: nothing may follow it. */
  closeQueued = false;
  requestCount = 0;
  keepAliveTimeout: number | undefined;
  /**
   * The last Keep-Alive field value seen and what it said: a server sends the
   * same value on every response, so it is parsed once per connection.
   */
  keepAliveField: string | null = null;
  keepAliveFieldTimeout: number | undefined;
  /** The socket is paused because a body's consumer has not read what arrived. */
  paused = false;
  socketError: unknown;
  listeners: SocketListeners | null = null;
  /**
   * The read hook of a socket made by `tcpConnector` (socket-reads.ts): reads
   * arrive through it instead of `'data'`, in buffers a borrowing body may
   * be lent. Null for other streams (TLS, in-memory), read through `'data'`.
   */
  readonly reads: SocketReadHook | null;
  readonly closed: Promise<ConnectionCloseInfo>;
  #resolveClosed!: (info: ConnectionCloseInfo) => void;
  readonly #signals: ConnectionSignals;

  constructor(socket: Duplex, given: Http1ConnectionOptions, signals: ConnectionSignals) {
    // A null-prototype copy of the caller's own keys (SECURITY.md rule 4): pool and
    // transport hand over a spread object literal, through which an inherited
    // `bufferLimit`, `allowBareLf` or `maxPipelined` would otherwise be read.
    const options = Object.assign(Object.create(null) as Http1ConnectionOptions, given);
    this.options = options;
    this.id = options.id ?? 0;
    this.socket = socket;
    this.reads = socketReadsOf(socket);
    this.clock = options.clock ?? systemClock();
    this.maxPipelined = Math.max(1, Math.floor(options.maxPipelined ?? 1));
    this.maxRequests = Math.max(1, options.maxRequests ?? Number.POSITIVE_INFINITY);
    this.drainOnCancel = drainSettings(options.drainOnCancel);
    this.#signals = signals;
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
  }

  /** Open, not closing, not told to close by a response, and under `maxRequests`. */
  get reusable(): boolean {
    return (
      this.state === 'open' &&
      this.keepAlive &&
      !this.closeQueued &&
      this.requestCount + this.queued() < this.maxRequests
    );
  }

  get idle(): boolean {
    return this.reusable && this.exchanges.length === 0;
  }

  queued(): number {
    let count = 0;
    for (const exchange of this.exchanges) if (exchange.stage === 'queued') count++;
    return count;
  }

  emitIdle(): void {
    this.#signals.idle();
  }

  armHeadersTimer(exchange: Exchange): void {
    if (exchange.headersTimer !== null) return;
    const ms = phaseTimeout(exchange.request, this.options.timeouts, 'headers') as number;
    exchange.headersTimer = this.clock.setTimer(() => this.timeout(exchange, 'headers'), ms);
  }

  /**
   * (Re)starts the body-idle countdown when the consumer starts waiting
   * (response-reader.ts). A timer that fires while the consumer holds a
   * chunk instead of waiting stands down: that time is the consumer's.
   */
  armIdleTimer(exchange: Exchange): void {
    if (exchange.idleTimer !== null) {
      exchange.idleTimer.refresh();
      return;
    }
    const ms = phaseTimeout(exchange.request, this.options.timeouts, 'bodyIdle') as number;
    exchange.idleTimer = this.clock.setTimer(() => {
      exchange.idleTimer = null;
      if (exchange.body?.waiting === true) this.timeout(exchange, 'body-idle');
    }, ms);
  }

  abort(exchange: Exchange): void {
    const signal = exchange.request.signal as AbortSignal;
    const error = abortError(signal, {
      method: exchange.request.method,
      url: exchange.request.url,
      requestSent: exchange.requestSent,
    });
    this.failOne(exchange, error);
  }

  timeout(exchange: Exchange, phase: TimeoutPhase): void {
    this.failOne(exchange, timeoutError(exchange.request, phase, exchange.requestSent));
  }

  /** Fails one exchange; a queued one leaves quietly, one in flight takes the connection down. */
  failOne(exchange: Exchange, error: HttpClientError): void {
    if (exchange.stage === 'complete' || exchange.stage === 'failed') return;
    if (exchange.stage === 'queued') {
      this.exchanges.splice(this.exchanges.indexOf(exchange), 1);
      this.closeQueued = this.exchanges.some((other) => other.serialized.closeRequested);
      this.failExchange(exchange, error);
      if (this.exchanges.length === 0 && this.idle) this.emitIdle();
      return;
    }
    this.shutdown(error, exchange);
  }

  failExchange(exchange: Exchange, error: HttpClientError): void {
    const stage = exchange.stage;
    exchange.stage = 'failed';
    releaseExchange(exchange);
    if (stage === 'complete' || stage === 'failed') return;
    if (exchange.body === null) exchange.reject(error);
    else exchange.body.fail(error);
    exchange.rejectTrailers(error);
  }

  /** Ends the connection: destroys the socket and fails what is unfinished. Runs once. */
  shutdown(error: HttpClientError | null, culprit?: Exchange, keepSocket = false): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.keepAlive = false;
    const waitingForResponse = this.exchanges.some(
      (exchange) => exchange.requestSent && !exchange.responseStarted,
    );
    const noResponseBytes = this.exchanges.every((exchange) => !exchange.responseStarted);
    if (!keepSocket && !this.socket.destroyed) this.socket.destroy();
    const exchanges = this.exchanges.splice(0);
    const reader = culprit ?? exchanges.find((exchange) => exchange.requestSent);
    for (const exchange of exchanges) {
      this.failExchange(exchange, failureOnClose(exchange, error, exchange === reader));
    }
    this.drainWaiters.fail(error);
    const info: ConnectionCloseInfo = {
      error,
      requestCount: this.requestCount,
      beforeResponse: waitingForResponse && noResponseBytes,
    };
    this.#resolveClosed(info);
    this.#signals.close(info);
  }

  /** Stops listening to the socket so an upgraded protocol can own it. */
  detach(): void {
    const socket = this.socket;
    const listeners = this.listeners;
    // Reads become plain owned `'data'` again for the new owner.
    this.reads?.detach();
    if (listeners !== null) {
      socket.off('data', listeners.data);
      socket.off('end', listeners.end);
      socket.off('close', listeners.close);
      socket.off('drain', listeners.drain);
      socket.off('error', listeners.error);
    }
    // A late error must not become an uncaught exception before the new owner listens.
    socket.on('error', () => undefined);
    // Paused until the new owner reads: nothing is lost in between.
    socket.pause();
  }
}

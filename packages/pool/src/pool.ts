import {
  abortError,
  type ConnectTarget,
  connectTargetFor,
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  systemClock,
} from '@x/core';
import { Http1Connection } from '@x/protocol';
import { connectorKeyOf, defaultConnector } from './connection-factory.js';
import { OriginPool, type PooledConnection, type Waiter } from './origin-pool.js';
import { observed, publish } from './pool-diagnostics.js';
import {
  defaultPipelinable,
  POOL_DEFAULTS,
  type PoolOptions,
  type ResolvedPoolOptions,
} from './pool-options.js';
import { QueuedRequest } from './queued-request.js';
import { decideStaleRetry } from './stale-retry.js';

export interface OriginStats {
  readonly origin: string;
  readonly open: number;
  readonly idle: number;
  readonly busy: number;
  readonly connecting: number;
  readonly queued: number;
}

export interface PoolStats {
  readonly open: number;
  readonly idle: number;
  readonly busy: number;
  readonly connecting: number;
  readonly queued: number;
  readonly origins: readonly OriginStats[];
}

export interface Pool extends HttpTransport {
  /** Ends everything now: queued requests fail, connections are destroyed. */
  destroy(reason?: unknown): Promise<void>;
  stats(): PoolStats;
}

/**
 * Persistent HTTP/1.1 connections, keyed by origin and connector identity.
 * See the README for the policy: limits, queueing, reuse order, stale
 * retry, pipelining.
 */
export function createPool(options: PoolOptions = {}): Pool {
  // Own properties only (SECURITY.md rule 4): an inherited `connector` from a
  // polluted Object.prototype would otherwise carry every request.
  const connector = ownOption(options, 'connector') ?? defaultConnector();
  const settings: ResolvedPoolOptions = {
    ...POOL_DEFAULTS,
    ...definedOnly(options),
    connector,
    connectorKey: ownOption(options, 'connectorKey') ?? connectorKeyOf(connector),
    pipelinable: ownOption(options, 'pipelinable') ?? defaultPipelinable,
    connection: ownOption(options, 'connection') ?? {},
    clock: ownOption(options, 'clock') ?? systemClock(),
  };
  return new ConnectionPool(settings);
}

function ownOption<T extends object, K extends keyof T>(options: T, key: K): T[K] | undefined {
  return Object.hasOwn(options, key) ? options[key] : undefined;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

class ConnectionPool implements Pool {
  readonly #settings: ResolvedPoolOptions;
  readonly #origins = new Map<string, OriginPool>();
  readonly #connects = new Set<AbortController>();
  #total = 0;
  #nextConnectionId = 1;
  #state: 'open' | 'closing' | 'closed' = 'open';
  #drained: (() => void) | null = null;

  constructor(settings: ResolvedPoolOptions) {
    this.#settings = settings;
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    const { method, url, signal } = request;
    if (this.#state !== 'open') {
      throw new HttpClientError('TRANSPORT_CLOSED', 'The pool is closed', {
        method,
        url,
        requestSent: false,
      });
    }
    if (signal?.aborted) throw abortError(signal, { method, url, requestSent: false });
    const startedAt = this.#settings.clock.monotonic();
    for (let attempt = 1; ; attempt++) {
      // Looked up per attempt: an origin whose last connection closed is dropped from the map.
      const origin = this.#originFor(url);
      const exclusive = !this.#pipelinable(request);
      // The connection comes with this request already counted in its inFlight (see #assign).
      // An idle connection with nobody queued ahead is taken at once: no
      // waiter, queue timer or abort listener is built for the common case.
      const pooled =
        this.#takeIdleNow(origin, attempt > 1, exclusive) ??
        (await this.#acquire(origin, request, attempt > 1));
      const reused = pooled.connection.requestCount > 0;
      if (observed('requestStart')) {
        publish('requestStart', () => ({
          origin: origin.key,
          request,
          connectionId: pooled.connection.id,
          reused,
        }));
      }
      let response: HttpResponse;
      try {
        response = await pooled.connection.request(request, { startedAt });
      } catch (error) {
        this.#release(pooled, exclusive);
        // A request refused before a byte was written (a head the serializer
        // refuses) leaves its connection untouched, and the connection emits
        // no 'idle' for it: hand it back here, or it is held for good and
        // close() waits on it forever.
        if (pooled.inFlight === 0) this.#onIdle(pooled);
        const decision = this.#settings.retryStaleConnections
          ? decideStaleRetry(request, error, reused, attempt)
          : ({ resend: false, reason: 'stale retry disabled' } as const);
        publish('requestError', () => ({ origin: origin.key, request, error, resent: decision.resend }));
        if (decision.resend && !this.#isClosed()) continue;
        throw explainRefusal(error, reused, decision.reason);
      }
      if (observed('responseHeaders'))
        publish('responseHeaders', () => ({ origin: origin.key, request, response }));
      response.trailers.then(
        () => {
          this.#release(pooled, exclusive);
          if (observed('bodyEnd')) publish('bodyEnd', () => ({ origin: origin.key, request, response }));
        },
        (error: unknown) => {
          this.#release(pooled, exclusive);
          publish('bodyEnd', () => ({ origin: origin.key, request, response, error }));
        },
      );
      return response;
    }
  }

  /** The request's hold on its connection ends (response done or failed). */
  #release(pooled: PooledConnection, exclusive: boolean): void {
    pooled.inFlight--;
    if (exclusive) pooled.inFlightExclusive--;
    this.#dispatch(pooled.origin);
  }

  /**
   * Takes an idle connection synchronously when nobody is queued ahead: what
   * `#acquire` then `#dispatch` would do, without the waiter. Null when the
   * request has to queue (or the queue is full: `#acquire` reports that).
   */
  #takeIdleNow(origin: OriginPool, fresh: boolean, exclusive: boolean): PooledConnection | null {
    if (origin.queue.length > 0 || origin.idle.length === 0) return null;
    if (this.#settings.maxQueuedPerOrigin < 1) return null;
    const pooled = origin.takeIdle(fresh);
    if (pooled === null) return null;
    pooled.inFlight++;
    if (exclusive) pooled.inFlightExclusive++;
    return pooled;
  }

  #isClosed(): boolean {
    return this.#state === 'closed';
  }

  #pipelinable(request: HttpRequest): boolean {
    return this.#settings.pipelining > 1 && this.#settings.pipelinable(request);
  }

  #originFor(url: URL): OriginPool {
    const target = connectTargetFor(url);
    const key = `${originKeyOf(target)}|${this.#settings.connectorKey(target)}`;
    let origin = this.#origins.get(key);
    if (origin === undefined) {
      origin = new OriginPool(key, target);
      this.#origins.set(key, origin);
    }
    return origin;
  }

  /** Queues the request and resolves with a connection for it. */
  #acquire(origin: OriginPool, request: HttpRequest, fresh: boolean): Promise<PooledConnection> {
    const { method, url, signal } = request;
    if (origin.queue.length >= this.#settings.maxQueuedPerOrigin) {
      return Promise.reject(
        new HttpClientError(
          'LIMIT_EXCEEDED',
          `More than ${this.#settings.maxQueuedPerOrigin} requests queued for ${origin.key}`,
          {
            method,
            url,
            requestSent: false,
            details: { limit: 'maxQueuedPerOrigin', max: this.#settings.maxQueuedPerOrigin },
          },
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const { clock } = this.#settings;
      // Nested caller object: own property only, so an inherited Object.prototype.queue
      // cannot stretch the queue deadline (SECURITY.md rules 4, 17).
      const timeout = request.options.timeout;
      const queueTimeout =
        (timeout !== undefined && timeout !== null ? ownOption(timeout, 'queue') : undefined) ??
        this.#settings.queueTimeout;
      const waiter = new QueuedRequest(
        {
          request,
          pipelinable: this.#pipelinable(request),
          fresh,
          deadline: clock.monotonic() + queueTimeout,
          queueTimeout,
          resolve,
          reject,
        },
        (aborted) =>
          this.#leave(
            origin,
            aborted,
            abortError(signal as AbortSignal, { method, url, requestSent: false }),
          ),
      );
      origin.queue.push(waiter);
      this.#armQueueTimer(origin, waiter.deadline);
      this.#dispatch(origin);
    });
  }

  /** Takes a waiter out of the queue and fails it (abort, queue timeout). */
  #leave(origin: OriginPool, waiter: Waiter, error: HttpClientError): void {
    const index = origin.queue.indexOf(waiter);
    if (index === -1) return;
    origin.queue.splice(index, 1);
    waiter.detach();
    waiter.reject(error);
    if (origin.queue.length === 0) this.#stopQueueTimer(origin);
  }

  #armQueueTimer(origin: OriginPool, deadline: number): void {
    origin.watchDeadline(this.#settings.clock, deadline, () => this.#expireQueue(origin));
  }

  #stopQueueTimer(origin: OriginPool): void {
    origin.stopDeadlineWatch();
  }

  /** Fails every waiter whose deadline passed (phase "queue"), then watches the next deadline. */
  #expireQueue(origin: OriginPool): void {
    const now = this.#settings.clock.monotonic();
    for (const waiter of origin.expiredWaiters(now)) {
      const { method, url } = waiter.request;
      this.#leave(
        origin,
        waiter,
        new HttpClientError('TIMEOUT', `Waited ${waiter.queueTimeout} ms for a connection`, {
          method,
          url,
          requestSent: false,
          phase: 'queue',
        }),
      );
    }
    const next = origin.earliestDeadline();
    if (next !== null) this.#armQueueTimer(origin, next);
  }

  /** Serves waiting requests with idle or pipeline-capable connections, and opens new ones. */
  #dispatch(origin: OriginPool): void {
    while (origin.queue.length > 0) {
      const waiter = origin.queue[0] as Waiter;
      const pooled =
        origin.takeIdle(waiter.fresh) ?? origin.takePipelineSlot(waiter, this.#settings.pipelining);
      if (pooled === null) break;
      origin.queue.shift();
      this.#assign(pooled, waiter);
      if (origin.queue.length === 0) this.#stopQueueTimer(origin);
    }
    if (this.#state === 'closed') return;
    // Re-read the demand every turn: evicting a connection runs its close
    // handler synchronously, which may dispatch (and open) re-entrantly.
    while (origin.unservedWaiters() > 0 && origin.size < this.#settings.connectionsPerOrigin) {
      if (this.#total >= this.#settings.maxConnections && !this.#evictIdleElsewhere(origin)) break;
      if (origin.unservedWaiters() === 0 || this.#total >= this.#settings.maxConnections) continue;
      this.#open(origin);
    }
    this.#checkDrained();
  }

  /**
   * Hands a connection to a waiter, counting it in flight at once: the
   * waiter only runs after a microtask, and the dispatch loop must already
   * see the connection as taken (or as a pipeline slot in use).
   */
  #assign(pooled: PooledConnection, waiter: Waiter): void {
    pooled.inFlight++;
    if (!waiter.pipelinable) pooled.inFlightExclusive++;
    waiter.detach();
    waiter.resolve(pooled);
  }

  /** Makes room under the global cap by closing the least recently used idle connection of another origin. */
  #evictIdleElsewhere(origin: OriginPool): boolean {
    let oldest: PooledConnection | null = null;
    for (const other of this.#origins.values()) {
      if (other === origin) continue;
      for (const pooled of other.idle)
        if (oldest === null || pooled.idleSince < oldest.idleSince) oldest = pooled;
    }
    if (oldest === null) return false;
    this.#retire(oldest);
    return true;
  }

  #open(origin: OriginPool): void {
    const { clock, connector, connectTimeout } = this.#settings;
    origin.connecting++;
    this.#total++;
    const controller = new AbortController();
    this.#connects.add(controller);
    connector(origin.target, { signal: controller.signal, timeout: connectTimeout, clock }).then(
      (socket) => {
        this.#connects.delete(controller);
        origin.connecting--;
        if (this.#state === 'closed') {
          socket.destroy();
          this.#total--;
          this.#checkDrained();
          return;
        }
        this.#adopt(origin, socket);
      },
      (error: unknown) => {
        this.#connects.delete(controller);
        origin.connecting--;
        this.#total--;
        publish('connectError', () => ({ origin: origin.key, error }));
        // The failure belongs to the request that has no other connection coming.
        const waiter = origin.queue[origin.connecting];
        if (waiter !== undefined) {
          origin.queue.splice(origin.connecting, 1);
          waiter.detach();
          if (origin.queue.length === 0) this.#stopQueueTimer(origin);
          const failure = HttpClientError.is(error)
            ? error.withRequest(waiter.request.method, waiter.request.url, false)
            : new HttpClientError('CONNECT_FAILED', 'Connecting failed', {
                method: waiter.request.method,
                url: waiter.request.url,
                requestSent: false,
                cause: error,
              });
          waiter.reject(failure);
        }
        this.#dispatch(origin);
      },
    );
  }

  #adopt(origin: OriginPool, socket: import('node:stream').Duplex): void {
    const { clock } = this.#settings;
    const connection = new Http1Connection(socket, {
      ...this.#settings.connection,
      id: this.#nextConnectionId++,
      clock,
      maxPipelined: this.#settings.pipelining,
      maxRequests: this.#settings.maxRequestsPerConnection,
      connectedAt: clock.monotonic(),
    });
    const pooled: PooledConnection = {
      connection,
      origin,
      createdAt: clock.monotonic(),
      inFlight: 0,
      inFlightExclusive: 0,
      idleTimer: null,
      idleTimerMs: 0,
      idleSince: clock.monotonic(),
      retired: false,
    };
    origin.connections.add(pooled);
    publish('connect', () => ({ origin: origin.key, connectionId: connection.id }));
    connection.on('idle', () => this.#onIdle(pooled));
    connection.on('close', (info) => {
      origin.connections.delete(pooled);
      origin.removeIdle(pooled);
      this.#total--;
      publish('connectionClose', () => ({
        origin: origin.key,
        connectionId: connection.id,
        error: info.error,
      }));
      this.#dispatch(origin);
      // A slot under the global cap may have opened for another origin.
      for (const other of this.#origins.values())
        if (other !== origin && other.queue.length > 0) this.#dispatch(other);
      if (origin.connections.size === 0 && origin.queue.length === 0 && origin.connecting === 0) {
        this.#origins.delete(origin.key);
      }
    });
    this.#onIdle(pooled);
  }

  #onIdle(pooled: PooledConnection): void {
    const { connection, origin } = pooled;
    if (!connection.idle || pooled.retired || origin.idle.includes(pooled)) {
      this.#dispatch(origin);
      return;
    }
    const { clock, maxConnectionAge, idleTimeout } = this.#settings;
    const now = clock.monotonic();
    if ((this.#state !== 'open' && origin.queue.length === 0) || now - pooled.createdAt >= maxConnectionAge) {
      this.#retire(pooled);
      return;
    }
    // RFC 9112 §9.3 leaves idle timeouts to each side; a server's Keep-Alive
    // hint tells when it will close, so stop a second early to avoid the race.
    const hint = connection.keepAliveTimeout;
    const timeout = hint === undefined ? idleTimeout : Math.min(idleTimeout, hint - 1000);
    if (timeout <= 0) {
      this.#retire(pooled);
      return;
    }
    pooled.idleSince = now;
    origin.idle.push(pooled);
    // One idle timer per connection, restarted each time it turns idle
    // rather than built and cancelled per request. Taking the connection
    // leaves it running; if it fires while the connection is busy it only
    // stands down (see #onIdleTimer).
    if (pooled.idleTimer !== null && pooled.idleTimerMs === timeout) pooled.idleTimer.refresh();
    else {
      pooled.idleTimer?.cancel();
      pooled.idleTimerMs = timeout;
      pooled.idleTimer = clock.setTimer(() => this.#onIdleTimer(pooled), timeout);
    }
    this.#dispatch(origin);
  }

  #onIdleTimer(pooled: PooledConnection): void {
    pooled.idleTimer = null;
    if (pooled.origin.idle.includes(pooled)) this.#retire(pooled);
  }

  #retire(pooled: PooledConnection): void {
    pooled.retired = true;
    pooled.origin.removeIdle(pooled);
    void pooled.connection.close();
  }

  #checkDrained(): void {
    if (this.#drained === null || this.#total > 0) return;
    for (const origin of this.#origins.values()) if (origin.queue.length > 0) return;
    const done = this.#drained;
    this.#drained = null;
    this.#state = 'closed';
    done();
  }

  close(): Promise<void> {
    if (this.#state === 'closed') return Promise.resolve();
    const drained = new Promise<void>((resolve) => {
      const previous = this.#drained;
      this.#drained = () => {
        previous?.();
        resolve();
      };
    });
    this.#state = 'closing';
    for (const origin of this.#origins.values()) {
      for (const pooled of [...origin.idle]) if (origin.queue.length === 0) this.#retire(pooled);
    }
    this.#checkDrained();
    return drained;
  }

  async destroy(reason?: unknown): Promise<void> {
    const pending = this.#state === 'closed' ? Promise.resolve() : this.close();
    this.#state = 'closed';
    for (const controller of this.#connects) controller.abort(reason);
    for (const origin of this.#origins.values()) {
      this.#stopQueueTimer(origin);
      for (const waiter of origin.queue.splice(0)) {
        waiter.detach();
        waiter.reject(
          new HttpClientError('TRANSPORT_CLOSED', 'The pool was destroyed', {
            method: waiter.request.method,
            url: waiter.request.url,
            requestSent: false,
            cause: reason,
          }),
        );
      }
      for (const pooled of [...origin.connections]) {
        pooled.retired = true;
        origin.removeIdle(pooled);
        pooled.connection.destroy(
          new HttpClientError('TRANSPORT_CLOSED', 'The pool was destroyed', { cause: reason }),
        );
      }
    }
    this.#checkDrained();
    await pending;
  }

  stats(): PoolStats {
    const origins: OriginStats[] = [];
    for (const origin of this.#origins.values()) {
      const idle = origin.idle.length;
      origins.push({
        origin: origin.key,
        open: origin.connections.size,
        idle,
        busy: origin.connections.size - idle,
        connecting: origin.connecting,
        queued: origin.queue.length,
      });
    }
    const sum = (field: keyof Omit<OriginStats, 'origin'>) =>
      origins.reduce((total, entry) => total + entry[field], 0);
    return {
      open: sum('open'),
      idle: sum('idle'),
      busy: sum('busy'),
      connecting: sum('connecting'),
      queued: sum('queued'),
      origins,
    };
  }
}

/**
 * `originKey(url)` from the target already computed for the request
 * (core's `originKey` would build the target a second time).
 */
function originKeyOf(target: ConnectTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.scheme}://${host.toLowerCase()}:${target.port}`;
}

/** A failure on a reused connection that the pool would not resend says why, so callers are not left guessing. */
function explainRefusal(error: unknown, reused: boolean, reason: string): unknown {
  if (!HttpClientError.is(error) || error.code !== 'CONNECTION_CLOSED' || !reused || !error.requestSent)
    return error;
  return new HttpClientError(error.code, `${error.message} (not resent: ${reason})`, {
    method: error.method,
    url: error.url,
    requestSent: error.requestSent,
    cause: error.cause ?? error,
    details: { ...error.details, staleRetry: reason },
  });
}

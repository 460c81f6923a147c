import type { Clock, ConnectTarget, HttpClientError, HttpRequest, Timer } from '@x/core';
import type { Http1Connection } from '@x/protocol';

/** One connection as the pool tracks it. */
export interface PooledConnection {
  readonly connection: Http1Connection;
  readonly origin: OriginPool;
  readonly createdAt: number;
  /** Requests handed to it and not yet finished (head and body). */
  inFlight: number;
  /** Of those, how many may not have another request pipelined behind them. */
  inFlightExclusive: number;
  idleTimer: Timer | null;
  /** The delay `idleTimer` was set with, so it is only rebuilt when that changes. */
  idleTimerMs: number;
  /** Monotonic time it last became idle, for evicting the least recently used. */
  idleSince: number;
  /** Closed by the pool itself (eviction, idle timeout, shutdown). */
  retired: boolean;
}

/** A request waiting for a connection (see `queued-request.ts`). */
export interface Waiter {
  readonly request: HttpRequest;
  /** Monotonic time after which it fails with a queue TIMEOUT. */
  readonly deadline: number;
  readonly queueTimeout: number;
  readonly pipelinable: boolean;
  /** Needs a connection that has carried nothing yet (stale-connection resend). */
  readonly fresh: boolean;
  resolve(connection: PooledConnection): void;
  reject(error: HttpClientError): void;
  /** Stops the abort listener. */
  detach(): void;
}

/**
 * The state of one pool key (origin + connector key): its connections, the
 * idle ones in a stack, the connects in progress and the waiting requests.
 * Decisions that span origins (global cap, eviction) live in the pool.
 */
export class OriginPool {
  readonly key: string;
  readonly target: ConnectTarget;
  readonly connections = new Set<PooledConnection>();
  /**
   * Idle connections, most recently used last. Reuse takes the most recently
   * used one (LIFO): it is the least likely to have hit the server's idle
   * timeout, and it lets surplus connections age out on our idle timer
   * instead of being kept warm round-robin.
   */
  readonly idle: PooledConnection[] = [];
  readonly queue: Waiter[] = [];
  connecting = 0;
  /** Watches the earliest deadline in `queue` (the pool arms it). */
  queueTimer: Timer | null = null;
  queueTimerDue = Number.POSITIVE_INFINITY;

  constructor(key: string, target: ConnectTarget) {
    this.key = key;
    this.target = target;
  }

  get size(): number {
    return this.connections.size + this.connecting;
  }

  removeIdle(pooled: PooledConnection): void {
    const index = this.idle.indexOf(pooled);
    if (index !== -1) this.idle.splice(index, 1);
    pooled.idleTimer?.cancel();
    pooled.idleTimer = null;
  }

  /**
   * Takes the best idle connection for a request (`fresh`: one that has
   * carried nothing yet), checking it is still alive. Its idle timer keeps
   * running (the pool restarts it when the connection is idle again).
   */
  takeIdle(fresh: boolean): PooledConnection | null {
    for (let index = this.idle.length - 1; index >= 0; index--) {
      const candidate = this.idle[index] as PooledConnection;
      if (candidate.connection.closed || !candidate.connection.idle) {
        this.removeIdle(candidate);
        continue;
      }
      if (fresh && candidate.connection.requestCount > 0) continue;
      this.idle.splice(index, 1);
      return candidate;
    }
    return null;
  }

  /**
   * A busy connection that can take one more pipelined request: fewest in
   * flight first, and never behind a request that must not be pipelined.
   */
  takePipelineSlot(waiter: Waiter, depth: number): PooledConnection | null {
    if (!waiter.pipelinable || waiter.fresh || depth <= 1) return null;
    let best: PooledConnection | null = null;
    for (const pooled of this.connections) {
      if (pooled.inFlightExclusive > 0 || pooled.inFlight === 0 || pooled.inFlight >= depth) continue;
      if (!pooled.connection.hasCapacity) continue;
      if (best === null || pooled.inFlight < best.inFlight) best = pooled;
    }
    return best;
  }

  /**
   * One timer per origin watches the earliest queue deadline; waiters carry
   * their deadline as a time. Cheaper than a timer per queued request when
   * many wait (50 in flight over 10 connections). Re-armed only when a
   * waiter has an earlier deadline than the one watched.
   */
  watchDeadline(clock: Clock, deadline: number, onExpire: () => void): void {
    if (this.queueTimer !== null && this.queueTimerDue <= deadline) return;
    this.queueTimer?.cancel();
    this.queueTimerDue = deadline;
    this.queueTimer = clock.setTimer(
      () => {
        this.queueTimer = null;
        this.queueTimerDue = Number.POSITIVE_INFINITY;
        onExpire();
      },
      Math.max(0, deadline - clock.monotonic()),
    );
  }

  stopDeadlineWatch(): void {
    this.queueTimer?.cancel();
    this.queueTimer = null;
    this.queueTimerDue = Number.POSITIVE_INFINITY;
  }

  /** Waiters whose deadline is not after `now`, in queue order. */
  expiredWaiters(now: number): Waiter[] {
    return this.queue.filter((waiter) => waiter.deadline <= now);
  }

  /** The earliest deadline of a waiter still queued, or null when none waits. */
  earliestDeadline(): number | null {
    let earliest: number | null = null;
    for (const waiter of this.queue)
      if (earliest === null || waiter.deadline < earliest) earliest = waiter.deadline;
    return earliest;
  }

  /** Waiters that no connect in progress will serve. */
  unservedWaiters(): number {
    return Math.max(0, this.queue.length - this.connecting);
  }
}

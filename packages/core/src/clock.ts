/**
 * Time, passed in. No layer reads `Date.now()` or calls `setTimeout`
 * directly: each takes a `Clock` option (default `systemClock()`), so tests
 * drive time with `createManualClock()` instead of sleeping.
 */

export interface Timer {
  /** Stops the timer; safe to call more than once or after it fired. */
  cancel(): void;
  /** Restarts the countdown from now with the original delay (cheap: idle timers call it per chunk). */
  refresh(): void;
}

export interface Clock {
  /** Wall-clock milliseconds since the epoch (for HTTP dates and cache ages). */
  now(): number;
  /** Monotonic milliseconds, for durations and timings. */
  monotonic(): number;
  /**
   * Calls `callback` after `ms`. System timers are unref'd: a pending
   * deadline never keeps the process alive on its own.
   */
  setTimer(callback: () => void, ms: number): Timer;
}

/** The real clock: Date.now, performance.now and unref'd Node timers. */
export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    monotonic: () => performance.now(),
    setTimer: (callback, ms) => new SystemTimer(callback, ms),
  };
}

/**
 * A class rather than an object of two closures: transports set a timer per
 * request, and per-instance closures showed in their profiles.
 */
class SystemTimer implements Timer {
  readonly #handle: NodeJS.Timeout;

  constructor(callback: () => void, ms: number) {
    this.#handle = setTimeout(callback, ms);
    this.#handle.unref();
  }

  cancel(): void {
    clearTimeout(this.#handle);
  }

  refresh(): void {
    this.#handle.refresh();
  }
}

interface ManualTimer {
  due: number;
  readonly delay: number;
  readonly callback: () => void;
  active: boolean;
  readonly order: number;
}

export interface ManualClock extends Clock {
  /** Moves time forward, firing due timers in order (including ones they schedule). */
  advance(ms: number): void;
  /** Sets the wall-clock time without firing timers (monotonic time is unchanged). */
  setNow(epochMs: number): void;
  /** Timers scheduled and not yet fired or cancelled. */
  pendingTimers(): number;
}

/** A clock that only moves when a test says so. */
export function createManualClock(startEpochMs = Date.UTC(2026, 0, 1)): ManualClock {
  let wall = startEpochMs;
  let mono = 0;
  let sequence = 0;
  const timers = new Set<ManualTimer>();

  const nextDue = (): ManualTimer | undefined => {
    let best: ManualTimer | undefined;
    for (const timer of timers) {
      if (!best || timer.due < best.due || (timer.due === best.due && timer.order < best.order)) best = timer;
    }
    return best;
  };

  return {
    now: () => wall,
    monotonic: () => mono,
    setTimer(callback, ms) {
      const timer: ManualTimer = {
        due: mono + Math.max(0, ms),
        delay: Math.max(0, ms),
        callback,
        active: true,
        order: sequence++,
      };
      timers.add(timer);
      return {
        cancel: () => {
          timer.active = false;
          timers.delete(timer);
        },
        refresh: () => {
          timer.due = mono + timer.delay;
          if (!timer.active) {
            timer.active = true;
            timers.add(timer);
          }
        },
      };
    },
    advance(ms) {
      const target = mono + ms;
      for (;;) {
        const timer = nextDue();
        if (!timer || timer.due > target) break;
        wall += timer.due - mono;
        mono = timer.due;
        timers.delete(timer);
        timer.active = false;
        timer.callback();
      }
      wall += target - mono;
      mono = target;
    },
    setNow(epochMs) {
      wall = epochMs;
    },
    pendingTimers: () => timers.size,
  };
}

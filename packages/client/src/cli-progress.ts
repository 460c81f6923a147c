import type { Clock } from '@x/core';

/** What one progress line shows. */
export interface ProgressState {
  /** Bytes in the output so far (resumed bytes included). */
  readonly received: number;
  readonly total: number | null;
  /** Bytes this transfer received (for the rate: resumed bytes were not transferred now). */
  readonly transferred: number;
  /** Milliseconds since this transfer started. */
  readonly elapsed: number;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB"; whole bytes below 1 KiB. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** Seconds as "m:ss", or "h:mm:ss" from an hour. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

const BAR_WIDTH = 24;

/**
 * One progress line: with a known total, percentage, bar, sizes, rate and
 * ETA; without, size and rate. The rate is the average of this transfer.
 */
export function renderProgress(state: ProgressState): string {
  const rate = state.elapsed > 0 ? (state.transferred * 1000) / state.elapsed : 0;
  const rateText = `${formatBytes(Math.round(rate))}/s`;
  if (state.total === null || state.total <= 0) return `${formatBytes(state.received)}  ${rateText}`;
  const fraction = Math.min(1, state.received / state.total);
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
  const remaining = state.total - state.received;
  const eta = rate > 0 ? formatDuration(remaining / rate) : '--:--';
  const percent = `${(fraction * 100).toFixed(1)}%`.padStart(6);
  return `${percent} [${bar}] ${formatBytes(state.received)} / ${formatBytes(state.total)}  ${rateText}  ETA ${eta}`;
}

export interface ProgressBar {
  update(received: number, total: number | null, resumedFrom: number): void;
  /** Draws the last state and ends the line. */
  finish(): void;
}

/**
 * Redraws one line on a terminal (carriage return, erase line), at most
 * every `interval` ms. Used only when stderr is a TTY.
 */
export function createProgressBar(write: (text: string) => void, clock: Clock, interval = 100): ProgressBar {
  let started = clock.monotonic();
  let transferStart = -1;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let last: ProgressState | null = null;
  const draw = (state: ProgressState) => {
    write(`\r\u001b[2K${renderProgress(state)}`);
    lastDraw = clock.monotonic();
  };
  return {
    update(received, total, resumedFrom) {
      if (resumedFrom !== transferStart) {
        // A new transfer (first, or a resume): the rate restarts with it.
        transferStart = resumedFrom;
        started = clock.monotonic();
      }
      last = { received, total, transferred: received - resumedFrom, elapsed: clock.monotonic() - started };
      if (clock.monotonic() - lastDraw >= interval) draw(last);
    },
    finish() {
      if (last !== null) draw(last);
      if (last !== null) write('\n');
    },
  };
}

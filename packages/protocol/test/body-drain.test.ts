import { describe, expect, it } from 'vitest';
import { drainBudget, drainSettings } from '../src/body-drain.js';
import { DEFAULT_DRAIN_ON_CANCEL, type DrainOnCancelOptions } from '../src/index.js';

const settings = { maxBytes: 1000, timeout: 500 };

describe('drainSettings', () => {
  it('defaults to 64 KiB and 1 s; false or maxBytes 0 turns draining off', () => {
    expect(drainSettings(undefined)).toEqual({ maxBytes: 65_536, timeout: 1000 });
    expect(DEFAULT_DRAIN_ON_CANCEL).toEqual({ maxBytes: 65_536, timeout: 1000 });
    expect(drainSettings({ timeout: 200 })).toEqual({ maxBytes: 65_536, timeout: 200 });
    expect(drainSettings(false)).toBeNull();
    expect(drainSettings({ maxBytes: 0 })).toBeNull();
    expect(drainSettings(null as unknown as false)).toBeNull();
  });

  it('a bound that is not a finite number ≥ 0 turns draining off, never makes it unbounded', () => {
    for (const bad of [Number.NaN, -1, Number.POSITIVE_INFINITY, '100' as unknown as number]) {
      expect(drainSettings({ maxBytes: bad })).toBeNull();
      expect(drainSettings({ timeout: bad })).toBeNull();
    }
  });

  it('reads own properties only: an inherited maxBytes changes nothing (SECURITY.md rule 4)', () => {
    const polluted = Object.create({ maxBytes: 1e12, timeout: 1e9 }) as DrainOnCancelOptions;
    expect(drainSettings(polluted)).toEqual(DEFAULT_DRAIN_ON_CANCEL);
  });
});

describe('drainBudget', () => {
  it('drains a known remainder up to maxBytes, and not one byte more', () => {
    const framing = { kind: 'length', length: 5000, keepAlive: true } as const;
    expect(drainBudget(framing, 4000, settings)).toBe(1000);
    expect(drainBudget(framing, 3999, settings)).toBeNull();
  });

  it('drains chunked bodies within the budget; never close-delimited or bodiless ones', () => {
    expect(drainBudget({ kind: 'chunked', length: null, keepAlive: true }, 0, settings)).toBe(1000);
    expect(drainBudget({ kind: 'close', length: null, keepAlive: false }, 0, settings)).toBeNull();
    expect(drainBudget({ kind: 'none', length: null, keepAlive: true }, 0, settings)).toBeNull();
  });
});

import { createManualClock } from '@x/core';
import { describe, expect, it } from 'vitest';
import { createProgressBar, formatBytes, formatDuration, renderProgress } from '../src/cli-progress.js';

describe('progress formatting', () => {
  it('formats sizes and durations', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10.0 MiB');
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(125)).toBe('2:05');
    expect(formatDuration(3725)).toBe('1:02:05');
  });

  it('shows percentage, bar, sizes, rate and ETA when the total is known', () => {
    const line = renderProgress({
      received: 512 * 1024,
      total: 1024 * 1024,
      transferred: 512 * 1024,
      elapsed: 1000,
    });
    expect(line).toBe(` 50.0% [############------------] 512.0 KiB / 1.0 MiB  512.0 KiB/s  ETA 0:01`);
  });

  it('shows size and rate without a total, and no ETA before any rate', () => {
    expect(renderProgress({ received: 2048, total: null, transferred: 2048, elapsed: 2000 })).toBe(
      '2.0 KiB  1.0 KiB/s',
    );
    expect(renderProgress({ received: 0, total: 100, transferred: 0, elapsed: 0 })).toContain('ETA --:--');
  });

  it('redraws at most once per interval and ends with a newline', () => {
    const clock = createManualClock();
    const written: string[] = [];
    const bar = createProgressBar((text) => written.push(text), clock, 100);
    bar.update(10, 100, 0);
    bar.update(20, 100, 0);
    clock.advance(100);
    bar.update(30, 100, 0);
    bar.finish();
    expect(written).toHaveLength(4);
    expect(written[0]?.startsWith('\r\u001b[2K 10.0%')).toBe(true);
    expect(written[1]).toContain('30 B / 100 B');
    expect(written[2]).toContain('30 B / 100 B');
    expect(written[3]).toBe('\n');
  });

  it('measures the rate of a resumed transfer from where it resumed', () => {
    const clock = createManualClock();
    const written: string[] = [];
    const bar = createProgressBar((text) => written.push(text), clock, 0);
    bar.update(1000, 3000, 0);
    clock.advance(1000);
    bar.update(2000, 3000, 1500);
    clock.advance(1000);
    bar.update(2500, 3000, 1500);
    expect(written.at(-1)).toContain('1000 B/s');
  });
});

import { readFileSync } from 'node:fs';

/**
 * The peak resident set size of this process image, in bytes.
 *
 * `process.resourceUsage().maxRSS` (getrusage ru_maxrss) is not that in a
 * forked child on Linux: ru_maxrss is kept across execve(2) (getrusage(2)),
 * and the copy of the parent's address space that fork() made counts until
 * then, so a child's maxRSS starts near its parent's resident size at the
 * fork. A child forked by a 165 MiB harness reported a 165 MiB peak whatever
 * it did: the ceiling's "73 MiB of RSS growth" in the download scenario was
 * the harness's own size. VmHWM in /proc/self/status is the high-water mark
 * of the address space execve made (proc(5)), so it counts this process
 * alone. Where there is no /proc, maxRSS is the best there is.
 */
export function peakRssBytes(): number {
  const fromProc = highWaterMarkBytes();
  return fromProc ?? process.resourceUsage().maxRSS * 1024;
}

/** VmHWM from /proc/self/status in bytes, or undefined where there is no such file or line. */
export function highWaterMarkBytes(): number | undefined {
  let status: string;
  try {
    status = readFileSync('/proc/self/status', 'latin1');
  } catch {
    return undefined;
  }
  const match = /^VmHWM:\s*(\d+)\s*kB$/m.exec(status);
  return match === null ? undefined : Number(match[1]) * 1024;
}

/**
 * A full garbage collection. Isolated children are started with --expose-gc;
 * a process without it (a test calling this directly) sets the flag at run
 * time, which makes `gc` available to contexts created after it. node:v8 and
 * node:vm are loaded only then: node:v8 alone is about 2 MiB of RSS, which
 * would otherwise count in every isolated child's idle RSS.
 */
export function collectGarbage(): void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') {
    exposed();
    return;
  }
  process.getBuiltinModule('node:v8').setFlagsFromString('--expose-gc');
  (process.getBuiltinModule('node:vm').runInNewContext('gc') as () => void)();
}

/** Bytes reachable from JS after a full collection: heap objects plus the buffers they hold. */
export function reachableBytes(): number {
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

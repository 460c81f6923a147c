import type { HttpOperation } from '../contender.js';
import type { HttpScenario, Mode, Plan, Workload } from '../scenario.js';
import { downloadHead } from '../servers/stream-responses.js';

const MiB = 1024 * 1024;

function download(bytes: number): HttpOperation {
  return {
    method: 'GET',
    path: `/download?bytes=${bytes}`,
    headers: {},
    body: null,
    read: 'stream',
    responseBytes: downloadHead(bytes).length + bytes,
  };
}

export const streamedDownload: HttpScenario = {
  kind: 'http',
  name: 'download',
  title: 'Streamed download of 1 GiB (quick: 8 MiB), throughput and peak RSS',
  notes:
    'Each contender runs in its own process, plain node (no loader) running a bundle of the measuring loop and ' +
    'that one contender (third-party packages load from node_modules), so its peak RSS is its own: the ' +
    "process's high-water mark (VmHWM; getrusage maxRSS would start at the harness's size in a forked child). " +
    'The body is streamed and counted, never held. Warm-up is one 8 MiB download. ' +
    'Idle RSS is the process once set up, before any request: Node (about 45 MiB forked with IPC), the loop, ' +
    "the contender's modules and its client; RSS growth is the peak over the RSS just before the measured " +
    'transfer (taken after a full GC). ' +
    'The ceiling reads into one reused 256 KiB buffer (onread): no client that hands chunks to its caller can, ' +
    'since the caller may keep them; raw-socket-stream (when run) reads through data events, a new buffer ' +
    'per read, the fair floor for such a client.',
  server: 'stream',
  traits: { pipelining: 1, keepAlive: true, read: 'stream', cache: false, bulk: true },
  connections: 1,
  inFlight: 1,
  unit: 'bytes',
  isolate: true,
  baseline: 'undici-request',
  workload(mode: Mode): Workload {
    const bytes = mode === 'full' ? 1024 * MiB : 8 * MiB;
    return {
      operation: download(bytes),
      expected: { status: 200, bodyBytes: bytes },
      warmup: { operation: download(8 * MiB), expected: { status: 200, bodyBytes: 8 * MiB } },
    };
  },
  plan(mode: Mode): Plan {
    // One transfer per turn: the turn ends after its single request; the
    // duration is only an upper bound (a turn that is still running then
    // gets the hang timeout on top).
    return mode === 'full'
      ? { rounds: 3, warmupMs: 60_000, durationMs: 120_000, maxOperations: 1 }
      : { rounds: 1, warmupMs: 0, durationMs: 60_000, maxOperations: 1 };
  },
};

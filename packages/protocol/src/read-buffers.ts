import type { OnReadOpts, Socket } from 'node:net';
import { SocketReads } from './socket-reads.js';

/** How a connector's sockets read: into reused buffers (`onread`) or one fresh buffer per read. */
export interface ReadBufferOptions {
  /**
   * Read sockets into reused buffers (`onread`) rather than a fresh buffer
   * per read (`'data'` events). Needed for `body.views()` to lend buffers
   * instead of copying. Default true. See socket-reads.ts.
   */
  reuseReadBuffers?: boolean | undefined;
  /**
   * Bytes per read buffer with `reuseReadBuffers`: each buffer lent to a
   * borrowing body (at most two in use plus the one being read into, per
   * connection). Default 256 KiB; 4 KiB to 16 MiB.
   */
  readBufferSize?: number | undefined;
}

/** What one socket needs to read through `SocketReads`. */
export interface SocketReadsBinding {
  /** The `onread` option for `net.connect` or `tls.connect` (the latter only without `socket:`). */
  readonly onread: OnReadOpts;
  /** Call once the socket exists, before anything reads it: marks it for the connection (`socketReadsOf`). */
  bind(socket: Socket): void;
}

/** Makes one binding per socket, or `undefined` when the connector reads with `'data'` events. */
export type SocketReadsFactory = () => SocketReadsBinding | undefined;

export const DEFAULT_READ_BUFFER_SIZE = 256 * 1024;
/**
 * Reads that land in the shared buffer are copied out for their consumer;
 * copies above ~128 KiB come from fresh mmap'd memory (page faults on every
 * read), so the shared buffer stays at the 64 KiB Node's own reads use.
 */
const SHARED_READ_BUFFER_SIZE = 64 * 1024;

/**
 * The read buffers of one connector: one shared buffer made on first use
 * (every socket of the connector reads into it unless its connection lends
 * buffers; its bytes never outlive one read's callback), and per socket a
 * `SocketReads` over it. Options are read as own properties (SECURITY.md 4).
 */
export function socketReadsFactory(options: ReadBufferOptions = {}): SocketReadsFactory {
  const own = <K extends keyof ReadBufferOptions>(key: K): ReadBufferOptions[K] =>
    Object.hasOwn(options, key) ? options[key] : undefined;
  if (own('reuseReadBuffers') === false) return () => undefined;
  const size = readBufferSize(own('readBufferSize'));
  let shared: Buffer | null = null;
  return () => {
    shared ??= Buffer.allocUnsafeSlow(Math.min(size, SHARED_READ_BUFFER_SIZE));
    const reads = new SocketReads(shared, size);
    return {
      onread: { buffer: reads.nextBuffer, callback: reads.onRead },
      bind: (socket) => reads.bind(socket),
    };
  };
}

/** A whole number of bytes from 4 KiB to 16 MiB; anything else is the default (never a huge or zero buffer). */
function readBufferSize(size: unknown): number {
  if (typeof size !== 'number' || !Number.isInteger(size)) return DEFAULT_READ_BUFFER_SIZE;
  return Math.min(Math.max(size, 4096), 16 * 1024 * 1024);
}

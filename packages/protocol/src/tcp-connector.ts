import { connect, type LookupFunction, type Socket } from 'node:net';
import type { Connector } from '@x/core';
import { connectAttempt } from './connect-attempt.js';
import { connectError } from './connect-errors.js';
import { SocketReads } from './socket-reads.js';

export interface TcpConnectorOptions {
  /** TCP keep-alive probes after this much idle time (ms); 0 turns probes off. Default 60 000. */
  keepAliveInitialDelay?: number | undefined;
  /** Happy eyeballs (RFC 8305) per-address attempt delay in ms. Default Node's (250). */
  autoSelectFamilyAttemptTimeout?: number | undefined;
  /** Connect timeout when the caller gives none, ms. Default 10 000. */
  timeout?: number | undefined;
  /** Local address to bind, for multi-homed hosts. */
  localAddress?: string | undefined;
  /** Custom name resolution (same contract as `dns.lookup`); default the system resolver. */
  lookup?: LookupFunction | undefined;
  /**
   * Read sockets into reused buffers (`net.connect({ onread })`) rather than
   * a fresh buffer per read (`'data'` events). Needed for `body.views()` to
   * lend buffers instead of copying; ordinary body chunks are then copied
   * out of the read buffer. Default true. See socket-reads.ts.
   */
  reuseReadBuffers?: boolean | undefined;
  /**
   * Bytes per socket read with `reuseReadBuffers`: the connector's one shared
   * buffer, and each buffer lent to a borrowing body (at most two in use plus
   * the one being read into, per connection). Default 256 KiB.
   */
  readBufferSize?: number | undefined;
}

export const DEFAULT_CONNECT_TIMEOUT = 10_000;
export const DEFAULT_READ_BUFFER_SIZE = 256 * 1024;
/**
 * Reads that land in the shared buffer are copied out for their consumer;
 * copies above ~128 KiB come from fresh mmap'd memory (page faults on every
 * read), so the shared buffer stays at the 64 KiB Node's own reads use.
 */
const SHARED_READ_BUFFER_SIZE = 64 * 1024;

/**
 * Plain TCP: `net.connect` with happy eyeballs over every resolved address,
 * Nagle off (requests are written whole), keep-alive probes so dead peers
 * are noticed, a connect deadline, and DNS failures told apart from refused
 * connections. Ignores the target's scheme: TLS is `tlsConnector`'s job.
 */
export function tcpConnector(options: TcpConnectorOptions = {}): Connector {
  const keepAliveDelay = options.keepAliveInitialDelay ?? 60_000;
  const reuse = options.reuseReadBuffers ?? true;
  const size = readBufferSize(options.readBufferSize);
  // One per connector, made on first use: every socket of this connector reads
  // into it unless its connection lends buffers (its bytes never outlive one read's callback).
  let shared: Buffer | null = null;
  return (target, connectOptions) => {
    let reads: SocketReads | null = null;
    if (reuse) {
      shared ??= Buffer.allocUnsafeSlow(Math.min(size, SHARED_READ_BUFFER_SIZE));
      reads = new SocketReads(shared, size);
    }
    const socket: Socket = connect({
      host: target.host,
      port: target.port,
      autoSelectFamily: true,
      ...(options.autoSelectFamilyAttemptTimeout === undefined
        ? {}
        : { autoSelectFamilyAttemptTimeout: options.autoSelectFamilyAttemptTimeout }),
      noDelay: true,
      keepAlive: keepAliveDelay > 0,
      keepAliveInitialDelay: keepAliveDelay,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
      ...(reads === null ? {} : { onread: { buffer: reads.nextBuffer, callback: reads.onRead } }),
    });
    reads?.bind(socket);
    return connectAttempt(
      socket,
      'connect',
      { ...connectOptions, timeout: connectOptions.timeout ?? options.timeout ?? DEFAULT_CONNECT_TIMEOUT },
      (error) => connectError(error, target.host, target.port),
    );
  };
}

/** A whole number of bytes from 4 KiB to 16 MiB; anything else is the default (never a huge or zero buffer). */
function readBufferSize(size: number | undefined): number {
  if (size === undefined || !Number.isInteger(size)) return DEFAULT_READ_BUFFER_SIZE;
  return Math.min(Math.max(size, 4096), 16 * 1024 * 1024);
}

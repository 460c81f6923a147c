import { connect, type LookupFunction, type Socket } from 'node:net';
import type { Connector } from '@x/core';
import { connectAttempt } from './connect-attempt.js';
import { connectError } from './connect-errors.js';
import { type ReadBufferOptions, socketReadsFactory } from './read-buffers.js';

export interface TcpConnectorOptions extends ReadBufferOptions {
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
}

export const DEFAULT_CONNECT_TIMEOUT = 10_000;

/**
 * Plain TCP: `net.connect` with happy eyeballs over every resolved address,
 * Nagle off (requests are written whole), keep-alive probes so dead peers
 * are noticed, a connect deadline, and DNS failures told apart from refused
 * connections. Ignores the target's scheme: TLS is `tlsConnector`'s job.
 */
export function tcpConnector(options: TcpConnectorOptions = {}): Connector {
  const keepAliveDelay = options.keepAliveInitialDelay ?? 60_000;
  const readsFor = socketReadsFactory(options);
  return (target, connectOptions) => {
    const reads = readsFor();
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
      ...(reads === undefined ? {} : { onread: reads.onread }),
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

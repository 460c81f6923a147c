import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { type Connector, HttpClientError } from '@x/core';
import { connectAttempt } from './connect-attempt.js';
import { connectError, systemCode } from './connect-errors.js';
import { type ReadBufferOptions, socketReadsFactory } from './read-buffers.js';
import { DEFAULT_CONNECT_TIMEOUT } from './tcp-connector.js';

export interface TlsConnectorOptions extends ReadBufferOptions {
  /** Extra trusted CA certificates (PEM); default: Node's bundled roots. */
  ca?: string | Buffer | readonly (string | Buffer)[] | undefined;
  /** Connect timeout (TCP and handshake) when the caller gives none, ms. Default 10 000. */
  timeout?: number | undefined;
  /** TCP keep-alive probes after this much idle time (ms); 0 turns them off. Default 60 000. */
  keepAliveInitialDelay?: number | undefined;
}

/**
 * node:tls on first use: a static import would cost every plain-http user of
 * this package ~5 MiB of RSS for a module only https connections need.
 */
function tlsModule(): typeof import('node:tls') {
  return process.getBuiltinModule('node:tls');
}

/**
 * TLS on node:tls with Node's default verification (chain and hostname):
 * there is no option to turn it off (SECURITY.md rule 27). Offers ALPN
 * "http/1.1" only. Failures before the handshake completes are TLS_FAILED
 * with `details.check` set to Node's error code, unless the TCP connect
 * itself failed (CONNECT_FAILED / DNS_FAILED). `@x/tls-verify` adds policy.
 * Decrypted bytes are read into reused buffers as with `tcpConnector`
 * (`onread`, which `tls.connect` honours because it dials the socket itself).
 */
export function tlsConnector(options: TlsConnectorOptions = {}): Connector {
  const keepAliveDelay = options.keepAliveInitialDelay ?? 60_000;
  const readsFor = socketReadsFactory(options);
  return (target, connectOptions) => {
    let tcpConnected = false;
    const reads = readsFor();
    const tlsOptions: ConnectionOptions = {
      host: target.host,
      port: target.port,
      servername: target.servername,
      ALPNProtocols: target.alpn ? [...target.alpn] : ['http/1.1'],
      // Explicit, so NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment cannot turn verification off (SECURITY.md 27).
      rejectUnauthorized: true,
      // Happy eyeballs: Node's default (autoSelectFamily) since v20 applies to tls.connect too.
      ...(options.ca === undefined ? {} : { ca: options.ca as ConnectionOptions['ca'] }),
      ...(reads === undefined ? {} : { onread: reads.onread }),
    };
    const socket: TLSSocket = tlsModule().connect(tlsOptions);
    reads?.bind(socket);
    socket.once('connect', () => {
      tcpConnected = true;
      socket.setNoDelay(true);
      if (keepAliveDelay > 0) socket.setKeepAlive(true, keepAliveDelay);
    });
    return connectAttempt(
      socket,
      'secureConnect',
      { ...connectOptions, timeout: connectOptions.timeout ?? options.timeout ?? DEFAULT_CONNECT_TIMEOUT },
      (error) => {
        if (!tcpConnected) return connectError(error, target.host, target.port);
        const check = systemCode(error) ?? 'handshake';
        return new HttpClientError('TLS_FAILED', `TLS with ${target.host} failed: ${check}`, {
          requestSent: false,
          cause: error,
          details: { check },
        });
      },
    );
  };
}

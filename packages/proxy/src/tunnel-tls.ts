import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import {
  type ConnectOptions,
  type Connector,
  type ConnectTarget,
  HttpClientError,
  isIpLiteral,
} from '@x/core';

/** Makes the stream TLS runs over: here, a CONNECT tunnel. */
export type StreamFactory = (target: ConnectTarget, options: ConnectOptions) => Promise<Duplex>;

/**
 * Builds the TLS connector used to the origin through a tunnel, given the
 * tunnel factory. `@x/tls-verify` fits exactly:
 * `(connect) => tlsConnector({ ...policy, connect })`.
 */
export type OriginTlsFactory = (connect: StreamFactory) => Connector;

export interface DefaultTunnelTlsOptions {
  /** Extra trusted CAs (PEM) for origins; default Node's bundled roots. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[] | undefined;
}

/**
 * The default origin TLS over a tunnel: node:tls with Node's default
 * verification (chain and hostname of the origin, never the proxy), SNI of
 * the origin (none for IP literals, RFC 6066 §3), ALPN http/1.1. No switch
 * turns verification off (SECURITY.md 27); for pins, mTLS or a replaced
 * trust store pass `@x/tls-verify` as `tls`.
 */
export function defaultTunnelTls(options: DefaultTunnelTlsOptions = {}): OriginTlsFactory {
  return (connect) => (target, connectOptions) =>
    connect(target, connectOptions).then(
      (stream) =>
        new Promise<Duplex>((resolve, reject) => {
          const name = target.servername ?? (isIpLiteral(target.host) ? undefined : target.host);
          const socket = tls.connect({
            socket: stream,
            host: target.host,
            ...(name === undefined ? {} : { servername: name }),
            ALPNProtocols: target.alpn ? [...target.alpn] : ['http/1.1'],
            // Explicit: left unset, NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment would turn it off (SECURITY.md 27).
            rejectUnauthorized: true,
            ...(options.ca === undefined ? {} : { ca: options.ca as tls.ConnectionOptions['ca'] }),
          });
          const signal = connectOptions.signal;
          const cleanup = () => {
            socket.off('secureConnect', onSecure);
            socket.off('error', onError);
            socket.off('close', onClose);
            signal?.removeEventListener('abort', onAbort);
          };
          const fail = (error: HttpClientError) => {
            cleanup();
            socket.on('error', () => undefined);
            socket.destroy();
            stream.destroy();
            reject(error);
          };
          const onSecure = () => {
            cleanup();
            resolve(socket);
          };
          const onError = (error: Error) => {
            const check = (error as NodeJS.ErrnoException).code ?? 'handshake';
            fail(
              new HttpClientError(
                'TLS_FAILED',
                `TLS with ${target.host} (through the proxy) failed: ${check}`,
                {
                  requestSent: false,
                  cause: error,
                  details: { check },
                },
              ),
            );
          };
          const onClose = () =>
            fail(
              new HttpClientError(
                'TLS_FAILED',
                `The tunnel to ${target.host} closed during the TLS handshake`,
                {
                  requestSent: false,
                  details: { check: 'handshake' },
                },
              ),
            );
          const onAbort = () =>
            fail(
              new HttpClientError('ABORTED', 'The connect was aborted', {
                requestSent: false,
                cause: signal?.reason,
              }),
            );
          socket.once('secureConnect', onSecure);
          socket.on('error', onError);
          socket.once('close', onClose);
          if (signal?.aborted) onAbort();
          else signal?.addEventListener('abort', onAbort, { once: true });
        }),
    );
}

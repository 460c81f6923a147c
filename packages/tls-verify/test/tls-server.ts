import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { Authority, Issued } from './certs.js';

/** What the server saw on one TLS connection that completed its handshake. */
export interface ServerConnection {
  readonly servername: string | false;
  readonly resumed: boolean;
  readonly clientAuthorized: boolean;
  /** Application bytes received (echoed back). */
  bytes: number;
}

export interface TestServer {
  readonly port: number;
  readonly host: string;
  readonly connections: ServerConnection[];
  /** Handshakes the server itself rejected (tlsClientError). */
  readonly clientErrors: Error[];
  /** Application bytes received over every connection. */
  applicationBytes(): number;
  /** TCP connections still open on the server side. */
  openSockets(): number;
  /** The server side TCP sockets, to reset them. */
  rawSockets(): Socket[];
  close(): Promise<void>;
}

export interface ServerOptions extends tls.TlsOptions {
  readonly leaf: Issued;
  /** Sent after the leaf (intermediates). */
  readonly chain?: readonly Issued[];
  readonly clientCa?: Authority;
  readonly host?: '127.0.0.1' | '::1';
}

/** A TLS echo server on loopback that records what it saw; close() destroys every socket. */
export async function startTlsServer(options: ServerOptions): Promise<TestServer> {
  const { leaf, chain = [], clientCa, host = '127.0.0.1', ...tlsOptions } = options;
  const connections: ServerConnection[] = [];
  const clientErrors: Error[] = [];
  const sockets = new Set<Socket>();
  const server = tls.createServer({
    key: leaf.keyPem,
    cert: [leaf.certPem, ...chain.map((certificate) => certificate.certPem)].join('\n'),
    ALPNProtocols: ['http/1.1'],
    ...(clientCa === undefined ? {} : { ca: clientCa.certPem, requestCert: true, rejectUnauthorized: true }),
    ...tlsOptions,
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  server.on('tlsClientError', (error) => clientErrors.push(error));
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    const record: ServerConnection = {
      servername: socket.servername ?? false,
      resumed: socket.isSessionReused(),
      clientAuthorized: socket.authorized,
      bytes: 0,
    };
    connections.push(record);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      record.bytes += chunk.length;
      socket.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    port: address.port,
    host,
    connections,
    clientErrors,
    applicationBytes: () => connections.reduce((sum, connection) => sum + connection.bytes, 0),
    openSockets: () => sockets.size,
    rawSockets: () => [...sockets],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes `text` and resolves with what the echo server sent back. */
export function echo(stream: Duplex, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const onClose = () => reject(new Error(`stream closed after ${received.length} echoed characters`));
    const onData = (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (received.length >= text.length) {
        stream.off('data', onData);
        stream.off('error', reject);
        stream.off('close', onClose);
        resolve(received);
      }
    };
    stream.on('data', onData);
    stream.once('error', reject);
    stream.once('close', onClose);
    stream.write(text);
  });
}

/** Resolves once `socket` finished its TLS handshake (authorized or not); rejects on a socket error. */
export function handshake(socket: tls.TLSSocket): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
}

/** Ends a client stream and waits until it is fully closed. */
export function closeStream(stream: Duplex): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed) {
      resolve();
      return;
    }
    stream.once('close', () => resolve());
    stream.on('error', () => undefined);
    stream.destroy();
  });
}

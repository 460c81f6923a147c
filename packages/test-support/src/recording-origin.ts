import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TestCertificate } from './x509-certificates.js';

/** What an origin received: enough to prove which headers reached it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
}

export interface TestOrigin {
  readonly port: number;
  readonly seen: SeenRequest[];
  /** TCP connections the origin accepted. */
  connections(): number;
  openSockets(): number;
  close(): Promise<void>;
}

export type OriginHandler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

const echoHandler: OriginHandler = (request, response) => {
  response.setHeader('content-type', 'text/plain');
  response.end(`${request.method} ${request.url} on ${request.headers.host}`);
};

/** An http: or https: origin on 127.0.0.1 that records each request; close() destroys every socket. */
export async function startOrigin(
  options: { tls?: TestCertificate; handler?: OriginHandler } = {},
): Promise<TestOrigin> {
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const handler = options.handler ?? echoHandler;
  const listener = (request: http.IncomingMessage, response: http.ServerResponse) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    handler(request, response);
  };
  const server =
    options.tls === undefined
      ? http.createServer(listener)
      : https.createServer({ cert: options.tls.certPem, key: options.tls.keyPem }, listener);
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    connections: () => connections,
    openSockets: () => sockets.size,
    close: () => closeServer(server, sockets),
  };
}

export function closeServer(server: http.Server | https.Server, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  });
}

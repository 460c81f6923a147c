import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface TestServer {
  readonly origin: string;
  readonly port: number;
  /** Every request line seen, as "METHOD /path". */
  readonly seen: string[];
  /** Server-side sockets still open. */
  openSockets(): number;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** A loopback HTTP (or HTTPS, with `tls`) server that records requests and closes every socket on close(). */
export async function startServer(
  handler: Handler,
  tls?: { key: string; cert: string },
): Promise<TestServer> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  const wrapped: Handler = (request, response) => {
    seen.push(`${request.method} ${request.url}`);
    handler(request, response);
  };
  const server: Server = tls
    ? createHttpsServer({ key: tls.key, cert: tls.cert }, wrapped)
    : createServer(wrapped);
  server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    seen,
    openSockets: () => sockets.size,
    connections: () => accepted,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Waits until `check` holds (socket closes are asynchronous), failing after `attempts` event-loop turns. */
export async function eventually(check: () => boolean, attempts = 200): Promise<boolean> {
  for (let index = 0; index < attempts; index++) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return check();
}

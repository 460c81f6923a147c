import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  type AddressInfo,
  createServer as createNetServer,
  type Server as NetServer,
  type Socket,
} from 'node:net';

/*
 * Loopback servers for tests that count sockets from the server side, so a
 * test can prove a connection was reused, closed or never leaked. Both listen
 * on 127.0.0.1 only; close() destroys every socket before closing.
 */

/** A server that counts the sockets it accepted and the ones still open. */
export interface TrackedServer {
  readonly origin: string;
  readonly port: number;
  /** Sockets accepted so far. */
  accepted(): number;
  /** Sockets currently open on the server side. */
  open(): number;
  close(): Promise<void>;
}

function track(server: Server | NetServer) {
  const sockets = new Set<Socket>();
  let accepted = 0;
  server.on('connection', (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    accepted: () => accepted,
    open: () => sockets.size,
    destroyAll: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** Tracks `server`'s sockets, listens on 127.0.0.1 and gives the TrackedServer view of it. */
async function start(server: Server | NetServer): Promise<TrackedServer> {
  const tracking = track(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    accepted: tracking.accepted,
    open: tracking.open,
    close: async () => {
      tracking.destroyAll();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A node:http keep-alive server. */
export async function httpServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<TrackedServer> {
  const server = createServer({ keepAliveTimeout: 30_000 }, handler);
  return start(server);
}

/**
 * A raw server: `onRequest(socket, index, head)` is called for each request
 * head received on a socket (index counts requests on that socket from 0).
 * It writes exact bytes, so tests can misbehave precisely.
 */
export async function rawServer(
  onRequest: (socket: Socket, index: number, head: string, socketNumber: number) => void,
): Promise<TrackedServer> {
  let socketCount = 0;
  const server = createNetServer((socket) => {
    const socketNumber = ++socketCount;
    let buffered = '';
    let index = 0;
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end === -1) break;
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        if (length) buffered = buffered.slice(Number(length[1]));
        onRequest(socket, index++, head, socketNumber);
      }
    });
    socket.on('error', () => undefined);
  });
  return start(server);
}

export function okResponse(body: string, extraHeaders = ''): string {
  return `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extraHeaders}\r\n${body}`;
}

/** Waits until `condition` holds, polling the event loop (bounded). */
export async function until(condition: () => boolean, limitMs = 5000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

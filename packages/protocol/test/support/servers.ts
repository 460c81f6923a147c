import { createServer, type Server, type Socket } from 'node:net';

/** A raw TCP server on 127.0.0.1 that answers each connection's first request head with exact bytes. */
export interface RawServer {
  readonly port: number;
  readonly url: string;
  /** Server-side sockets ever accepted. */
  readonly accepted: number;
  /** Server-side sockets still open. */
  openSockets(): number;
  /** Resolves once every server-side socket has closed (what "no leaked socket" means). */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

export type RawHandler = (socket: Socket, head: string) => void;

export async function rawServer(handler: RawHandler): Promise<RawServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let text = '';
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      if (answered) return;
      text += chunk.toString('latin1');
      if (text.includes('\r\n\r\n')) {
        answered = true;
        handler(socket, text);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get accepted() {
      return accepted;
    },
    openSockets: () => sockets.size,
    async allClosed() {
      while (sockets.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import type { Server } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Messages between the harness and a server process. */
export type ServerMessage =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'cpu'; readonly user: number; readonly system: number };

/**
 * Runs a server as the main code of a forked child: listens on loopback,
 * tells the parent its port, answers CPU-usage queries (to show the server is
 * not the bottleneck), and exits as soon as the parent goes away, so a crashed
 * or interrupted harness never leaves a server behind.
 */
export function serveInChild(server: Server): void {
  if (typeof process.send !== 'function') {
    throw new Error('This server runs in a child process started by the bench harness');
  }
  const send = (message: ServerMessage) => process.send?.(message);
  server.listen({ host: '127.0.0.1', port: 0 }, () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('Server has no TCP address');
    send({ type: 'listening', port: address.port });
  });
  process.on('message', (message: unknown) => {
    if (message === 'cpu') {
      const usage = process.cpuUsage();
      send({ type: 'cpu', user: usage.user, system: usage.system });
    }
  });
  // The parent's IPC channel closes when it exits or kills us: stop at once.
  process.on('disconnect', () => process.exit(0));
}

/** True when this module is the entry point of the process (forked as a server). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && fileURLToPath(moduleUrl) === entry;
}

import type { Socket } from 'node:net';

/**
 * Counts a server's open sockets so the runner can check, after a case
 * closed its transport, that nothing was left open (SECURITY.md §18:
 * nothing outlives the request). Also gives each connection an id the
 * routes echo back, which is how reuse is observed from the server side.
 */
export class SocketTracker {
  readonly #sockets = new Map<Socket, number>();
  #nextId = 1;

  add(socket: Socket): number {
    const id = this.#nextId++;
    this.#sockets.set(socket, id);
    socket.once('close', () => this.#sockets.delete(socket));
    return id;
  }

  idOf(socket: Socket): number {
    return this.#sockets.get(socket) ?? 0;
  }

  get open(): number {
    return this.#sockets.size;
  }

  /** Total connections accepted so far. */
  get accepted(): number {
    return this.#nextId - 1;
  }

  destroyAll(): void {
    for (const socket of this.#sockets.keys()) socket.destroy();
    this.#sockets.clear();
  }
}

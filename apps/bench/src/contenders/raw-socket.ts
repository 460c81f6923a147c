import { connect, type Socket } from 'node:net';
import type { ClientSession, Contender, HttpOperation, OperationResult, SetupOptions } from '../contender.js';

/**
 * The ceiling: no HTTP client at all. Requests are serialised once and
 * written as bytes; responses are not parsed, only counted, by the exact
 * length the scenario says a complete response has. No client can do less
 * work per request over the same sockets, so "percent of ceiling" tells how
 * close a real client gets to the limit of this machine and server.
 */
export const contender: Contender = {
  name: 'raw-socket',
  description:
    'ceiling: net.Socket, pre-serialised requests, response ends counted by length, nothing parsed',
  ceiling: true,
  supports: () => true,
  setup: async (options) => new RawSocketSession(options),
};

interface Waiter {
  remaining: number;
  readonly result: OperationResult;
  readonly resolve: (result: OperationResult) => void;
  readonly reject: (error: Error) => void;
}

interface Connection {
  readonly socket: Socket;
  readonly waiters: Waiter[];
  failed: Error | null;
}

interface Queued {
  readonly bytes: Buffer;
  readonly waiter: Waiter;
}

const READ_BUFFER_BYTES = 256 * 1024;

class RawSocketSession implements ClientSession {
  readonly #options: SetupOptions;
  readonly #connections: Connection[] = [];
  readonly #queue: Queued[] = [];
  readonly #serialised = new Map<HttpOperation, Buffer>();
  #closed = false;

  constructor(options: SetupOptions) {
    this.#options = options;
  }

  request(operation: HttpOperation): Promise<OperationResult> {
    if (this.#closed) return Promise.reject(new Error('raw-socket session closed'));
    let bytes = this.#serialised.get(operation);
    if (bytes === undefined) {
      bytes = serialise(this.#options, operation);
      this.#serialised.set(operation, bytes);
    }
    const request = bytes;
    return new Promise<OperationResult>((resolve, reject) => {
      const waiter: Waiter = {
        remaining: operation.responseBytes,
        result: { status: 200, bodyBytes: -1 },
        resolve,
        reject,
      };
      if (!this.#options.keepAlive) {
        this.#oneShot(request, waiter);
        return;
      }
      const connection = this.#pick();
      if (connection === null) this.#queue.push({ bytes: request, waiter });
      else this.#send(connection, request, waiter);
    });
  }

  /** The least busy connection with room for one more request, opening one if allowed. */
  #pick(): Connection | null {
    let best: Connection | null = null;
    for (const connection of this.#connections) {
      if (connection.failed !== null || connection.waiters.length >= this.#options.pipelining) continue;
      if (best === null || connection.waiters.length < best.waiters.length) best = connection;
    }
    if (best !== null && best.waiters.length === 0) return best;
    if (this.#connections.length < this.#options.connections) return this.#open();
    return best;
  }

  #open(): Connection {
    let connection: Connection | undefined;
    const socket = this.#connect((length) => {
      if (connection !== undefined) this.#onData(connection, length);
    });
    connection = { socket, waiters: [], failed: null };
    const fail = (error: Error) => {
      connection.failed ??= error;
      for (const waiter of connection.waiters.splice(0)) waiter.reject(error);
      const index = this.#connections.indexOf(connection);
      if (index !== -1) this.#connections.splice(index, 1);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('raw-socket connection closed by the server')));
    this.#connections.push(connection);
    return connection;
  }

  #send(connection: Connection, bytes: Buffer, waiter: Waiter): void {
    connection.waiters.push(waiter);
    connection.socket.write(bytes);
  }

  #onData(connection: Connection, length: number): void {
    let left = length;
    while (left > 0) {
      const waiter = connection.waiters[0];
      if (waiter === undefined) {
        connection.socket.destroy(new Error('raw-socket: more bytes than the responses announced'));
        return;
      }
      const take = Math.min(left, waiter.remaining);
      waiter.remaining -= take;
      left -= take;
      if (waiter.remaining === 0) {
        connection.waiters.shift();
        waiter.resolve(waiter.result);
        const next = this.#queue.shift();
        if (next !== undefined) this.#send(connection, next.bytes, next.waiter);
      }
    }
  }

  /**
   * Reads into one reused buffer (`onread`): no allocation and no 'data'
   * event per read, the cheapest way Node offers to drain a socket.
   */
  #connect(onBytes: (length: number) => void): Socket {
    const socket = connect({
      host: this.#options.origin.hostname,
      port: Number(this.#options.origin.port),
      onread: {
        buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
        callback: (length: number) => {
          onBytes(length);
          return true;
        },
      },
    });
    socket.setNoDelay(true);
    return socket;
  }

  #oneShot(bytes: Buffer, waiter: Waiter): void {
    // Done at the last byte of the response, like a client reading to the end of the body; the
    // socket is then dropped without waiting for the server's FIN.
    const socket = this.#connect((length) => {
      waiter.remaining -= length;
      if (waiter.remaining === 0) {
        waiter.resolve(waiter.result);
        socket.destroy();
      } else if (waiter.remaining < 0) {
        socket.destroy(new Error('raw-socket: more bytes than the response announced'));
      }
    });
    socket.on('error', (error) => waiter.reject(error));
    socket.on('close', () => {
      if (waiter.remaining !== 0) {
        waiter.reject(new Error(`raw-socket: connection closed with ${waiter.remaining} bytes missing`));
      }
    });
    socket.write(bytes);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const error = new Error('raw-socket session closed');
    for (const queued of this.#queue.splice(0)) queued.waiter.reject(error);
    await Promise.all(
      this.#connections.splice(0).map(
        (connection) =>
          new Promise<void>((resolve) => {
            connection.socket.once('close', () => resolve());
            connection.socket.destroy();
          }),
      ),
    );
  }
}

function serialise(options: SetupOptions, operation: HttpOperation): Buffer {
  let head = `${operation.method} ${operation.path} HTTP/1.1\r\nhost: ${options.origin.host}\r\n`;
  for (const [name, value] of Object.entries(operation.headers)) head += `${name}: ${value}\r\n`;
  if (operation.body !== null) head += `content-length: ${operation.body.byteLength}\r\n`;
  if (!options.keepAlive) head += 'connection: close\r\n';
  head += '\r\n';
  const headBytes = Buffer.from(head, 'latin1');
  return operation.body === null ? headBytes : Buffer.concat([headBytes, operation.body]);
}

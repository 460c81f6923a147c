import { connect, type Socket } from 'node:net';
import type { ClientSession, Contender, HttpOperation, OperationResult, SetupOptions } from '../contender.js';

/**
 * A second reference for the download, beside the `raw-socket` ceiling: no
 * HTTP client, but the socket is read the way any client that hands chunks
 * to user code must read it, through 'data' events. Node then allocates a
 * fresh buffer for every read of at most 64 KiB (one event-loop callback
 * each), and the garbage collector frees them later. The ceiling instead
 * reads up to 256 KiB at a time into one reused buffer (`onread`), which no
 * client can do while its caller may keep the chunks. The gap between this
 * and the ceiling is the price of Node's streaming read path; the gap between
 * a client and this is the client's own.
 *
 * Only for bulk scenarios (one large response per request, one at a time
 * per connection): the head is skipped by finding its blank line, the rest
 * is counted against the exact response length the scenario gives.
 */
export const contender: Contender = {
  name: 'raw-socket-stream',
  description: "reference: net.Socket 'data' events (a new buffer per read), head skipped, body counted",
  supports: (traits) => traits.bulk && traits.pipelining === 1,
  setup: async (options) => new StreamSocketSession(options),
};

interface Transfer {
  /** Exact bytes of the whole response, head included. */
  readonly total: number;
  remaining: number;
  headBytes: number;
  /** Bytes seen while the head's end has not been found (heads are small: at most a few reads). */
  headSearch: Buffer | null;
  readonly resolve: (result: OperationResult) => void;
  readonly reject: (error: Error) => void;
}

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');

class StreamSocketSession implements ClientSession {
  readonly #options: SetupOptions;
  #socket: Socket | null = null;
  #transfer: Transfer | null = null;
  #closed = false;

  constructor(options: SetupOptions) {
    this.#options = options;
  }

  request(operation: HttpOperation): Promise<OperationResult> {
    if (this.#closed) return Promise.reject(new Error('raw-socket-stream session closed'));
    if (this.#transfer !== null) return Promise.reject(new Error('raw-socket-stream: one request at a time'));
    return new Promise<OperationResult>((resolve, reject) => {
      this.#transfer = {
        total: operation.responseBytes,
        remaining: operation.responseBytes,
        headBytes: 0,
        headSearch: Buffer.alloc(0),
        resolve,
        reject,
      };
      this.#connection().write(serialise(this.#options, operation));
    });
  }

  #connection(): Socket {
    if (this.#socket !== null && !this.#socket.destroyed) return this.#socket;
    const socket = connect({ host: this.#options.origin.hostname, port: Number(this.#options.origin.port) });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(socket, chunk));
    const fail = (error: Error) => {
      const transfer = this.#transfer;
      this.#transfer = null;
      transfer?.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('raw-socket-stream: connection closed by the server')));
    this.#socket = socket;
    return socket;
  }

  #onData(socket: Socket, chunk: Buffer): void {
    const transfer = this.#transfer;
    if (transfer === null || chunk.length > transfer.remaining) {
      socket.destroy(new Error('raw-socket-stream: more bytes than the response announced'));
      return;
    }
    transfer.remaining -= chunk.length;
    if (transfer.headSearch !== null) {
      const seen = Buffer.concat([transfer.headSearch, chunk]);
      const end = seen.indexOf(HEAD_END);
      if (end === -1) transfer.headSearch = seen;
      else {
        transfer.headBytes = end + HEAD_END.length;
        transfer.headSearch = null;
      }
    }
    if (transfer.remaining > 0) return;
    this.#transfer = null;
    // The status is not parsed: like the ceiling, this reference only counts bytes.
    transfer.resolve({
      status: 200,
      bodyBytes: transfer.headSearch === null ? transfer.total - transfer.headBytes : -1,
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const socket = this.#socket;
    this.#socket = null;
    if (socket === null || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }
}

function serialise(options: SetupOptions, operation: HttpOperation): Buffer {
  let head = `${operation.method} ${operation.path} HTTP/1.1\r\nhost: ${options.origin.host}\r\n`;
  for (const [name, value] of Object.entries(operation.headers)) head += `${name}: ${value}\r\n`;
  if (operation.body !== null) head += `content-length: ${operation.body.byteLength}\r\n`;
  head += '\r\n';
  const headBytes = Buffer.from(head, 'latin1');
  return operation.body === null ? headBytes : Buffer.concat([headBytes, operation.body]);
}

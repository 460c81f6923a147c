import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { SocketReads } from '../../src/socket-reads.js';

/**
 * An in-memory Duplex read through `SocketReads`, the way `tcpConnector`'s
 * sockets are: the test decides every read's bytes, and each read first
 * fills the whole buffer it lands in with 0xEE, as a real read overwrites
 * it (and the shared buffer again right after each read, since another
 * socket may read into it next). A chunk the connection handed out and that
 * is read into again while still valid shows up as 0xEE bytes in the body.
 */
export class HookedSocket extends Duplex {
  readonly written: Buffer[] = [];
  readonly reads: SocketReads;
  /** Every buffer a read landed in, in order. */
  readonly readBuffers: Buffer[] = [];
  readonly #shared: Buffer;
  #armed: Buffer;

  constructor(bufferSize: number) {
    super();
    this.#shared = Buffer.allocUnsafeSlow(bufferSize);
    this.reads = new SocketReads(this.#shared, bufferSize);
    this.reads.bind(this as unknown as Socket);
    this.#armed = this.reads.nextBuffer();
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.written.push(chunk);
    callback();
  }

  /**
   * Delivers `bytes` as reads of at most `readSize` bytes (and never more
   * than the armed buffer holds), one per event-loop turn, waiting while the
   * connection keeps the socket paused, as a stopped read would.
   */
  async deliver(bytes: Buffer, readSize = Number.POSITIVE_INFINITY): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      // One read per event-loop turn, as from a real socket; none while paused.
      do await new Promise((resolve) => setImmediate(resolve));
      while (this.isPaused() && !this.destroyed);
      if (this.destroyed) return;
      const buffer = this.#armed;
      buffer.fill(0xee);
      const length = Math.min(readSize, buffer.length, bytes.length - offset);
      bytes.copy(buffer, 0, offset, offset + length);
      offset += length;
      this.readBuffers.push(buffer);
      if (!this.reads.onRead(length, buffer)) this.pause();
      // The shared buffer serves every socket of a connector: its bytes are gone once the callback returns.
      if (buffer === this.#shared) buffer.fill(0xee);
      this.#armed = this.reads.nextBuffer();
    }
  }
}

import type { Socket } from 'node:net';

/**
 * Reading a TCP socket into buffers we choose (`net.connect({ onread })`)
 * instead of one fresh buffer per read, which is what Node's `'data'` path
 * allocates (up to 64 KiB a read, freed late by the garbage collector).
 *
 * Between responses, and for the head, reads land in the connector's one
 * shared buffer, and whoever reads it copies what it keeps before the
 * callback returns. While a body streams, reads land in buffers private to
 * the socket, which the connection either
 * - lends: a consumer reading through `ResponseBody.views()` gets views of
 *   the buffer, which stays "pinned" until the consumer lets go of them, and
 *   is then read into again (no allocation per read); or
 * - gives away: an ordinary consumer gets views of a large read as its own
 *   chunks (the buffer is never read into again, as with `'data'`), and a
 *   small read is copied out (so a kept chunk never holds a mostly empty
 *   buffer) and the buffer reused.
 * The buffer armed for the next read is never pinned nor given away, so a
 * read can never overwrite bytes still in use; pausing (at two pinned
 * buffers) only bounds memory.
 *
 * How Node drives it (lib/net.js, lib/internal/stream_base_commons.js,
 * Node 22–24): `buffer()` is called when the handle is made and again right
 * after every `callback(length, buffer)`, so it picks the buffer of the
 * *next* read; `callback` returning false stops reading until `resume()` or
 * `read()`; end of stream, errors and `'close'` are emitted as usual, but
 * never a `'data'` event. Until a connection attaches (and after an upgrade
 * detaches it), reads are copied and `push()`ed into the socket's own
 * Readable buffer, so the socket behaves like any Duplex: `'data'`, `read()`,
 * `pause()`/`resume()`, `unshift()` and `tls.connect({ socket })` all work.
 */

/** Symbol.for, versioned: a connector and a connection from two copies of this package still meet. */
export const SOCKET_READS = Symbol.for('@x/protocol.socketReads.v1');

/** How far a consumer has let go of the chunks it was lent (a response body). */
export interface ReleaseCounter {
  /** Chunks 1..released (in push order) are no longer used. */
  readonly released: number;
}

/** Where the next read should land, as the connection wants it. */
export type NextRead =
  /** The shared buffer: bytes copied out (heads, small responses, idle). */
  | 'shared'
  /** A private buffer the connection may lend (a body read through views). */
  | 'lend'
  /** A private buffer the connection may give away (an ordinary body). */
  | 'own';

/** What a connection attaches to receive a socket's reads. */
export interface ReadSink {
  /**
   * One read: `bytes` is a view of a buffer read into again later. Copy what
   * you keep; when `private`, you may instead lend views (`pinCurrent`) or
   * give the buffer away (`giveAwayCurrent`).
   */
  onRead(bytes: Buffer, isPrivate: boolean): void;
  /** Asked after each read: where the next one should land. */
  nextRead(): NextRead;
}

/** The part of `SocketReads` a connection uses (kept small: another copy of the package may provide it). */
export interface SocketReadHook {
  attach(sink: ReadSink): void;
  detach(): void;
  /** Keeps the buffer of the read in progress from reuse until `counter.released >= until`. */
  pinCurrent(counter: ReleaseCounter, until: number): void;
  /** The buffer of the read in progress now belongs to whoever got views of it: never read into it again. */
  giveAwayCurrent(): void;
  /** Lent buffers still in use. */
  pinnedCount(): number;
}

interface Pin {
  readonly buffer: Buffer;
  readonly counter: ReleaseCounter;
  until: number;
}

/**
 * Spare lendable buffers kept for the next lent read. Two: behind a slow
 * consumer two buffers are pinned and a third is armed, and keeping all
 * three means a connection allocates them once, not once per slowdown.
 */
const MAX_SPARE = 2;

/**
 * Size of a buffer made to be given away: Node's own read size. Larger fresh
 * allocations come from mmap'd memory in glibc (page faults on every read).
 */
export const GIVE_AWAY_SIZE = 64 * 1024;

export class SocketReads implements SocketReadHook {
  readonly #shared: Buffer;
  readonly #privateSize: number;
  #socket: Socket | null = null;
  #sink: ReadSink | null = null;
  /** The buffer the latest read landed in (the read in progress during `onRead`). */
  #current: Buffer;
  /** The buffer last given away (never armed again). */
  #givenAway: Buffer | null = null;
  readonly #spare: Buffer[] = [];
  readonly #pins: Pin[] = [];

  /** `shared` may serve many sockets: its bytes are only used inside one read's callback. */
  constructor(shared: Buffer, privateSize: number) {
    this.#shared = shared;
    this.#privateSize = privateSize;
    this.#current = shared;
  }

  /** Marks `socket` as read through this object (the connection finds it by `SOCKET_READS`). */
  bind(socket: Socket): void {
    this.#socket = socket;
    (socket as unknown as Record<symbol, SocketReadHook>)[SOCKET_READS] = this;
  }

  /** `onread.buffer`: the buffer for the next read. Never one with views in use. */
  readonly nextBuffer = (): Buffer => {
    const current = this.#current;
    const reusable = current !== this.#shared && current !== this.#givenAway && !this.#isPinned(current);
    const want = this.#sink === null ? 'shared' : this.#sink.nextRead();
    let next: Buffer;
    if (want === 'shared') {
      if (reusable) this.#keepSpare(current);
      next = this.#shared;
    } else if (reusable) {
      next = current;
    } else if (want === 'lend') {
      next = this.#spare.pop() ?? Buffer.allocUnsafeSlow(this.#privateSize);
    } else {
      next = Buffer.allocUnsafeSlow(GIVE_AWAY_SIZE);
    }
    this.#current = next;
    return next;
  };

  /** `onread.callback`: one read of `length` bytes into `buffer`. */
  readonly onRead = (length: number, buffer: Buffer): boolean => {
    this.#current = buffer;
    const bytes = length === buffer.length ? buffer : buffer.subarray(0, length);
    const sink = this.#sink;
    if (sink === null) {
      // Nobody attached: behave like a plain socket, with owned bytes in its Readable buffer.
      const socket = this.#socket as Socket;
      return socket.push(ownedCopy(bytes));
    }
    sink.onRead(bytes, buffer !== this.#shared);
    return true;
  };

  giveAwayCurrent(): void {
    const current = this.#current;
    this.#givenAway = current;
    // Never read into again, so pins on it no longer matter (and must not make it a spare once released).
    const pins = this.#pins;
    for (let index = pins.length - 1; index >= 0; index--) {
      if ((pins[index] as Pin).buffer === current) pins.splice(index, 1);
    }
  }

  attach(sink: ReadSink): void {
    this.#sink = sink;
  }

  detach(): void {
    this.#sink = null;
  }

  pinCurrent(counter: ReleaseCounter, until: number): void {
    if (this.#current === this.#givenAway) return;
    const last = this.#pins[this.#pins.length - 1];
    if (last !== undefined && last.buffer === this.#current && last.counter === counter) {
      last.until = until;
      return;
    }
    this.#pins.push({ buffer: this.#current, counter, until });
  }

  pinnedCount(): number {
    this.#sweep();
    const pins = this.#pins;
    if (pins.length < 2) return pins.length;
    let count = 0;
    for (let index = 0; index < pins.length; index++) {
      const buffer = (pins[index] as Pin).buffer;
      let seen = false;
      for (let before = 0; before < index; before++) if ((pins[before] as Pin).buffer === buffer) seen = true;
      if (!seen) count++;
    }
    return count;
  }

  #isPinned(buffer: Buffer): boolean {
    this.#sweep();
    for (const pin of this.#pins) if (pin.buffer === buffer) return true;
    return false;
  }

  /** Drops released pins; a private buffer no pin holds any more becomes a spare. */
  #sweep(): void {
    const pins = this.#pins;
    for (let index = pins.length - 1; index >= 0; index--) {
      const pin = pins[index] as Pin;
      if (pin.counter.released < pin.until) continue;
      pins.splice(index, 1);
      if (pin.buffer === this.#current) continue;
      let held = false;
      for (const other of pins) if (other.buffer === pin.buffer) held = true;
      if (!held) this.#keepSpare(pin.buffer);
    }
  }

  #keepSpare(buffer: Buffer): void {
    if (buffer.length !== this.#privateSize || this.#spare.length >= MAX_SPARE) return;
    if (!this.#spare.includes(buffer)) this.#spare.push(buffer);
  }
}

/** An exact-size copy with its own memory (no pooled slab a kept chunk would pin). */
export function ownedCopy(bytes: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  copy.set(bytes);
  return copy;
}

/** The read hook a connector attached to `socket`, if any. */
export function socketReadsOf(socket: object): SocketReadHook | null {
  const hook = (socket as Record<symbol, unknown>)[SOCKET_READS];
  if (typeof hook !== 'object' || hook === null) return null;
  const candidate = hook as Partial<SocketReadHook>;
  return typeof candidate.attach === 'function' &&
    typeof candidate.detach === 'function' &&
    typeof candidate.pinCurrent === 'function' &&
    typeof candidate.pinnedCount === 'function'
    ? (hook as SocketReadHook)
    : null;
}

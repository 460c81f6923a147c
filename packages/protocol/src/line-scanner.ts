const LF = 0x0a;
const CR = 0x0d;

/**
 * Finds LF-terminated lines in a byte stream split anywhere. A line wholly
 * inside one chunk is returned as a view of it (no copy); only a line split
 * across chunks is copied into a reusable carry buffer, whose size the
 * caller bounds by checking `pending` against its limit.
 */
export class LineScanner {
  #carry: Buffer = Buffer.allocUnsafe(0);
  #carryLength = 0;
  /** The buffer holding the line found by the last successful `next`. */
  lineBuffer: Buffer = this.#carry;
  lineStart = 0;
  /** End of the line content: CR and LF excluded. */
  lineEnd = 0;
  /** Bytes of the line including its terminator. */
  lineBytes = 0;
  /** True when the line ended with LF alone. */
  bareLf = false;

  /** Bytes of an unfinished line kept from earlier chunks. */
  get pending(): number {
    return this.#carryLength;
  }

  /**
   * Looks for the end of the next line from `offset`. Returns the offset
   * just after its LF, or -1 when `chunk` ended first (the partial line is
   * kept for the next call).
   */
  next(chunk: Buffer, offset: number): number {
    const lf = chunk.indexOf(LF, offset);
    if (lf === -1) {
      this.#append(chunk, offset, chunk.length);
      return -1;
    }
    if (this.#carryLength === 0) {
      this.lineBuffer = chunk;
      this.lineStart = offset;
      this.lineBytes = lf + 1 - offset;
      this.#finish(lf);
    } else {
      this.#append(chunk, offset, lf + 1);
      this.lineBuffer = this.#carry;
      this.lineStart = 0;
      this.lineBytes = this.#carryLength;
      this.#finish(this.#carryLength - 1);
      this.#carryLength = 0;
    }
    return lf + 1;
  }

  /** Forgets any partial line. */
  reset(): void {
    this.#carryLength = 0;
  }

  #finish(lfIndex: number): void {
    if (lfIndex > this.lineStart && this.lineBuffer[lfIndex - 1] === CR) {
      this.lineEnd = lfIndex - 1;
      this.bareLf = false;
    } else {
      this.lineEnd = lfIndex;
      this.bareLf = true;
    }
  }

  #append(chunk: Buffer, start: number, end: number): void {
    const needed = this.#carryLength + (end - start);
    if (needed > this.#carry.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.#carry.length * 2, 256));
      this.#carry.copy(grown, 0, 0, this.#carryLength);
      this.#carry = grown;
    }
    chunk.copy(this.#carry, this.#carryLength, start, end);
    this.#carryLength = needed;
  }
}

import type { HttpClientError } from '@x/core';
import { FIELD_LINE_MESSAGES, parseFieldLine } from './field-line.js';
import type { ParserLeniency, ParserLimits } from './limits.js';
import { LineScanner } from './line-scanner.js';
import { limitError, protocolError } from './protocol-errors.js';

/**
 * The chunked transfer coding (RFC 9112 §7.1), decoded incrementally:
 *
 *   chunked-body = *chunk last-chunk trailer-section CRLF
 *   chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 *
 * Sizes are checked for overflow digit by digit, the size line (extensions
 * included) is bounded, CRLF is required after every size line and every
 * chunk, and trailers are parsed like header fields but kept apart
 * (RFC 9110 §6.5). Data is handed out as views of the input, never copied.
 */

export interface ChunkedHandlers {
  onData(chunk: Buffer): void;
  onTrailers(raw: string[]): void;
}

enum State {
  Size,
  SizeSpace,
  Extension,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  Trailers,
  Done,
}

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;
const SEMICOLON = 0x3b;

/** Hex digit values, 255 for non-digits. */
const HEX = new Uint8Array(256).fill(255);
for (let code = 0; code < 10; code++) HEX[0x30 + code] = code;
for (let code = 0; code < 6; code++) {
  HEX[0x41 + code] = 10 + code;
  HEX[0x61 + code] = 10 + code;
}

/** Largest size before one more hex digit could pass 2^53 - 1. */
const SIZE_GUARD = Math.floor(Number.MAX_SAFE_INTEGER / 16);

export class ChunkedDecoder {
  #state = State.Size;
  #size = 0;
  #sizeDigits = 0;
  #remaining = 0;
  #lineBytes = 0;
  #trailerBytes = 0;
  #trailers: string[] = [];
  readonly #lines = new LineScanner();
  readonly #handlers: ChunkedHandlers;
  readonly #limits: ParserLimits;
  readonly #leniency: ParserLeniency;

  constructor(handlers: ChunkedHandlers, limits: ParserLimits, leniency: ParserLeniency) {
    this.#handlers = handlers;
    this.#limits = limits;
    this.#leniency = leniency;
  }

  /** Ready for the next chunked body: a parser keeps one decoder for all its responses. */
  reset(): void {
    this.#state = State.Size;
    this.#size = 0;
    this.#sizeDigits = 0;
    this.#remaining = 0;
    this.#lineBytes = 0;
    this.#trailerBytes = 0;
    // Always a new array: the previous body's trailers (even an empty list) were handed out and may be held.
    this.#trailers = [];
    this.#lines.reset();
  }

  /** True once the last chunk and trailer section were read. */
  get done(): boolean {
    return this.#state === State.Done;
  }

  /** True between chunks, where a close means "ended without the last chunk" rather than mid-chunk. */
  get betweenChunks(): boolean {
    return this.#state === State.Size && this.#sizeDigits === 0;
  }

  /** Decodes from `offset`; returns the offset reached (all of `chunk` unless the coding ended). */
  execute(chunk: Buffer, offset: number): number {
    const end = chunk.length;
    while (offset < end) {
      switch (this.#state) {
        case State.Size:
        case State.SizeSpace:
        case State.Extension:
        case State.SizeLf:
          offset = this.#sizeLine(chunk, offset, end);
          break;
        case State.Data: {
          const take = Math.min(this.#remaining, end - offset);
          this.#remaining -= take;
          const data = chunk.subarray(offset, offset + take);
          offset += take;
          if (this.#remaining === 0) this.#state = State.DataCr;
          this.#handlers.onData(data);
          break;
        }
        case State.DataCr:
          if (chunk[offset] !== CR) throw missingCrlf();
          this.#state = State.DataLf;
          offset++;
          break;
        case State.DataLf:
          if (chunk[offset] !== LF) throw missingCrlf();
          this.#state = State.Size;
          offset++;
          break;
        case State.Trailers:
          offset = this.#trailerLines(chunk, offset);
          break;
        case State.Done:
          return offset;
      }
    }
    return offset;
  }

  #sizeLine(chunk: Buffer, offset: number, end: number): number {
    while (offset < end) {
      const code = chunk[offset] as number;
      offset++;
      if (++this.#lineBytes > this.#limits.maxChunkLineBytes) {
        throw limitError('maxChunkLineBytes', this.#limits.maxChunkLineBytes, 'Chunk-size line too long');
      }
      switch (this.#state) {
        case State.Size: {
          const digit = HEX[code] as number;
          if (digit !== 255) {
            if (this.#size > SIZE_GUARD) {
              throw protocolError('chunk-size-overflow', 'Chunk size does not fit in 2^53 - 1');
            }
            this.#size = this.#size * 16 + digit;
            this.#sizeDigits++;
            continue;
          }
          if (this.#sizeDigits === 0) throw protocolError('invalid-chunk-size', 'Chunk size is not hex');
          if (code === CR) this.#state = State.SizeLf;
          else if (code === SEMICOLON) this.#state = State.Extension;
          else if (code === SP || code === HTAB) this.#state = State.SizeSpace;
          else if (code === LF) throw missingCrlf();
          else throw protocolError('invalid-chunk-size', 'Chunk size is not hex');
          continue;
        }
        case State.SizeSpace:
          // BWS is allowed only before ";" (RFC 9112 §7.1.1).
          if (code === SEMICOLON) this.#state = State.Extension;
          else if (code !== SP && code !== HTAB) {
            throw protocolError('invalid-chunk-size', 'Whitespace after a chunk size not followed by ";"');
          }
          continue;
        case State.Extension:
          // Extensions are ignored (RFC 9112 §7.1.1) but must be text.
          if (code === CR) this.#state = State.SizeLf;
          else if (code === LF) throw missingCrlf();
          else if ((code < SP && code !== HTAB) || code === 0x7f) {
            throw protocolError('chunk-extension-invalid', 'Control character in a chunk extension');
          }
          continue;
        case State.SizeLf:
          if (code !== LF) throw missingCrlf();
          this.#lineBytes = 0;
          this.#sizeDigits = 0;
          if (this.#size === 0) {
            this.#state = State.Trailers;
          } else {
            this.#remaining = this.#size;
            this.#size = 0;
            this.#state = State.Data;
          }
          return offset;
      }
    }
    return offset;
  }

  #trailerLines(chunk: Buffer, offset: number): number {
    const limits = this.#limits;
    for (;;) {
      const next = this.#lines.next(chunk, offset);
      if (next === -1) {
        if (this.#trailerBytes + this.#lines.pending > limits.maxTrailerBytes) throw this.#tooLarge();
        return chunk.length;
      }
      offset = next;
      const lines = this.#lines;
      this.#trailerBytes += lines.lineBytes;
      if (this.#trailerBytes > limits.maxTrailerBytes) throw this.#tooLarge();
      if (lines.bareLf && !this.#leniency.allowBareLf) {
        throw protocolError('header-bare-lf', 'Trailer line ended with LF without CR');
      }
      if (lines.lineStart === lines.lineEnd) {
        this.#state = State.Done;
        this.#handlers.onTrailers(this.#trailers);
        return offset;
      }
      const rule = parseFieldLine(
        lines.lineBuffer,
        lines.lineStart,
        lines.lineEnd,
        this.#trailers,
        this.#leniency.allowObsFold,
      );
      if (rule !== null) throw protocolError(rule, `${FIELD_LINE_MESSAGES[rule]} (trailer section)`);
      if (this.#trailers.length / 2 > limits.maxTrailerCount) {
        throw limitError('maxTrailerCount', limits.maxTrailerCount, 'Too many trailer fields');
      }
    }
  }

  #tooLarge(): HttpClientError {
    return limitError('maxTrailerBytes', this.#limits.maxTrailerBytes, 'Trailer section too large');
  }
}

function missingCrlf(): HttpClientError {
  return protocolError('chunk-missing-crlf', 'Chunked coding requires CRLF here');
}

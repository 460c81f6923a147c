import { latin1, mixByte } from './field-line.js';

/**
 * A small direct-mapped cache of decoded header strings, one per parser.
 * Responses from one server repeat most field names and many values
 * (Content-Type, Server, Vary, Connection...); returning the string decoded
 * last time skips the native decode call and an allocation. A slot holds
 * one string; a collision simply replaces it, so memory is fixed. Hits are
 * byte-exact comparisons, never guesses.
 */
export class StringCache {
  readonly #slots: (string | undefined)[];
  readonly #mask: number;
  readonly #maxLength: number;

  /** `size` must be a power of two. */
  constructor(size = 256, maxLength = 64) {
    this.#slots = new Array<string | undefined>(size).fill(undefined);
    this.#mask = size - 1;
    this.#maxLength = maxLength;
  }

  /** The latin1 string of `buffer[start, end)`. */
  get(buffer: Buffer, start: number, end: number): string {
    if (end - start > this.#maxLength) return latin1(buffer, start, end);
    let hash = 0;
    for (let index = start; index < end; index++) hash = mixByte(hash, buffer[index] as number);
    return this.getHashed(buffer, start, end, hash);
  }

  /**
   * The same, with `hash` already folded over the bytes by `mixByte` from 0:
   * a scanner that reads every byte anyway (field-line.ts) hashes as it
   * goes, so the bytes are not walked a second time here.
   */
  getHashed(buffer: Buffer, start: number, end: number, hash: number): string {
    const length = end - start;
    if (length === 0) return '';
    if (length > this.#maxLength) return latin1(buffer, start, end);
    const slot = (hash ^ length) & this.#mask;
    const cached = this.#slots[slot];
    if (cached !== undefined && cached.length === length) {
      let index = 0;
      while (index < length && cached.charCodeAt(index) === buffer[start + index]) index++;
      if (index === length) return cached;
    }
    const value = latin1(buffer, start, end);
    this.#slots[slot] = value;
    return value;
  }
}

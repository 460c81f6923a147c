/**
 * Deterministic body bytes: byte i is (i * 31 + 7) mod 256. Large-body cases
 * check every byte against the formula, so a lost, duplicated or reordered
 * chunk anywhere is caught without buffering the body or hashing it.
 */
export function patternByte(index: number): number {
  return (index * 31 + 7) & 0xff;
}

export function patternChunk(offset: number, length: number): Uint8Array {
  const chunk = new Uint8Array(length);
  for (let i = 0; i < length; i++) chunk[i] = patternByte(offset + i);
  return chunk;
}

/** Streams `size` pattern bytes in chunks of `chunkSize`. */
export function* patternChunks(size: number, chunkSize = 64 * 1024): Generator<Uint8Array> {
  for (let offset = 0; offset < size; offset += chunkSize) {
    yield patternChunk(offset, Math.min(chunkSize, size - offset));
  }
}

/** Index of the first byte of `chunk` (starting at `offset`) that breaks the pattern, or -1. */
export function patternMismatch(chunk: Uint8Array, offset: number): number {
  for (let i = 0; i < chunk.byteLength; i++) {
    if (chunk[i] !== patternByte(offset + i)) return offset + i;
  }
  return -1;
}

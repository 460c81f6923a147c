import { bytesBody, type RequestBody } from '@x/core';

/**
 * A one-shot request body that keeps a copy of what it sends, up to `limit`
 * bytes, so a 307/308 can resend it. The copy is only usable when the inner
 * transport read the body to its end and it fit: a body cut short (the server
 * answered early and the transport stopped reading) or longer than the bound
 * gives `replay() === null`, and the redirect fails instead of resending
 * part of it.
 */
export interface RecordingBody {
  /** The body to send in place of the original. */
  readonly body: RequestBody;
  /** A replayable body with the same bytes, or null when they were not all kept. */
  replay(): RequestBody | null;
}

export function recordBody(original: RequestBody, limit: number): RecordingBody {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let overflowed = original.length !== null && original.length > limit;
  let complete = false;
  let replayed: RequestBody | null = null;

  async function* record(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      if (!overflowed) {
        total += chunk.byteLength;
        if (total > limit) {
          overflowed = true;
          chunks.length = 0; // let the partial copy go: it can never be used
        } else {
          // Copied: a producer may reuse its buffer once the chunk is written.
          chunks.push(chunk.slice());
        }
      }
      yield chunk;
    }
    complete = true;
  }

  return {
    body: {
      length: original.length,
      replayable: false,
      contentType: original.contentType,
      open: () => record(original.open()),
    },
    replay() {
      if (!complete || overflowed) return null;
      if (replayed === null) {
        const bytes = new Uint8Array(total);
        let offset = 0;
        for (const chunk of chunks) {
          bytes.set(chunk, offset);
          offset += chunk.byteLength;
        }
        chunks.length = 0;
        replayed = bytesBody(bytes, original.contentType);
      }
      return replayed;
    },
  };
}

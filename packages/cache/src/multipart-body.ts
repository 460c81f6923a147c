import { randomBytes } from 'node:crypto';
import { type BodySource, HttpClientError, sourceFromIterable } from '@x/core';
import { type ByteRange, formatContentRange } from '@x/headers';

/**
 * A `multipart/byteranges` body (RFC 9110 §14.6) cut from a stored
 * complete response, streamed: the stored body is read once, front to
 * back, each part sent as its bytes arrive, so memory does not depend on
 * the size of the parts. The ranges must be sorted and disjoint (as
 * `resolveRange` returns them when it merges); the rest of the stored body
 * is never read.
 */
export interface MultipartBody {
  readonly source: BodySource;
  /** Exact byte count of the whole multipart body (for Content-Length). */
  readonly length: number;
  /** The Content-Type of the 206 response, with its boundary. */
  readonly contentType: string;
}

const encoder = new TextEncoder();

/**
 * A boundary nobody can predict: a response body that contains it would end
 * a part early, so it comes from `crypto` (SECURITY.md rule 5). 32 hex
 * digits are valid boundary characters (RFC 2046 §5.1.1) and need no quoting.
 */
export function multipartBoundary(): string {
  return `x-cache-${randomBytes(16).toString('hex')}`;
}

export function multipartBody(
  stored: BodySource,
  ranges: readonly ByteRange[],
  completeLength: number,
  partContentType: string | null,
  boundary: string = multipartBoundary(),
): MultipartBody {
  // §14.6: each part carries Content-Range, and Content-Type when the representation has one.
  const heads = ranges.map((range, index) => {
    const type = partContentType === null ? '' : `Content-Type: ${partContentType}\r\n`;
    const contentRange = formatContentRange({ range, completeLength });
    return encoder.encode(
      `${index === 0 ? '' : '\r\n'}--${boundary}\r\n${type}Content-Range: ${contentRange}\r\n\r\n`,
    );
  });
  const closing = encoder.encode(`\r\n--${boundary}--\r\n`);
  let length = closing.byteLength;
  ranges.forEach((range, index) => {
    length += (heads[index] as Uint8Array).byteLength + range.end - range.start + 1;
  });

  async function* parts(): AsyncGenerator<Uint8Array> {
    let chunk: Uint8Array = new Uint8Array(0);
    let chunkStart = 0;
    try {
      for (const [index, range] of ranges.entries()) {
        yield heads[index] as Uint8Array;
        let from = range.start;
        while (from <= range.end) {
          while (from >= chunkStart + chunk.byteLength) {
            const next = await stored.read();
            if (next === null) {
              throw new HttpClientError(
                'CONNECTION_CLOSED',
                'The cached body ended before the ranges asked for',
                {
                  requestSent: false,
                  details: { expected: completeLength, read: chunkStart + chunk.byteLength },
                },
              );
            }
            chunkStart += chunk.byteLength;
            chunk = next;
          }
          const to = Math.min(chunk.byteLength, range.end + 1 - chunkStart);
          yield chunk.subarray(from - chunkStart, to);
          from = chunkStart + to;
        }
      }
      yield closing;
    } finally {
      // Whether the last range ended early in the body or the reader left: the rest is not needed.
      stored.cancel();
    }
  }

  return {
    source: sourceFromIterable(parts()),
    length,
    contentType: `multipart/byteranges; boundary=${boundary}`,
  };
}

import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';
import { type BodySource, HttpClientError, type ResponseBody, sourceFromIterable } from '@x/core';
import type { Coding } from './coding-plan.js';

export interface DecodeLimits {
  /** Most decoded bytes one response may produce. */
  maxDecodedBytes: number;
  /** Most decoded/encoded ratio, checked once `ratioGraceBytes` have been decoded. */
  maxRatio: number;
  /** Decoded bytes allowed before the ratio check applies (small bodies compress very well). */
  ratioGraceBytes: number;
}

interface ErrorContext {
  method: string;
  url: URL;
}

type DecoderFactory = (firstChunk: Uint8Array) => zlib.Zlib & NodeJS.ReadWriteStream;

/**
 * Creates the decompressor for a coding. "deflate" is the zlib format
 * (RFC 9110 §8.4.1.2), but some servers send raw DEFLATE; a zlib stream is
 * recognised by its 2-byte header (CM = 8 and the header checksum), as
 * browsers do, and anything else is inflated raw.
 */
function decoderFactory(coding: Coding): DecoderFactory {
  switch (coding) {
    case 'gzip':
      return () => zlib.createGunzip();
    case 'br':
      return () => zlib.createBrotliDecompress();
    case 'zstd':
      return () => zlib.createZstdDecompress();
    case 'deflate':
      return (first) => {
        const cmf = first[0] ?? 0;
        const flg = first[1] ?? 0;
        const looksZlib = (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
        return looksZlib ? zlib.createInflate() : zlib.createInflateRaw();
      };
  }
}

/** Counts bytes flowing through, for the ratio check. */
async function* counted(input: AsyncIterable<Uint8Array>, onBytes: (count: number) => void) {
  for await (const chunk of input) {
    onBytes(chunk.byteLength);
    yield chunk;
  }
}

/**
 * One decoding step, pull-driven: the zlib stream only runs when the
 * consumer asks for output, and it processes input in bounded slices
 * whatever a single compressed chunk expands to. An empty coded body
 * decodes to an empty body (servers send `Content-Encoding: gzip` on empty
 * responses), not to an "unexpected end of file" error.
 */
async function* decodeStep(input: AsyncIterable<Uint8Array>, coding: Coding): AsyncGenerator<Uint8Array> {
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const rest: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => iterator,
  };
  async function* replay() {
    yield first.value as Uint8Array;
    yield* rest;
  }
  const decoder = decoderFactory(coding)(first.value as Uint8Array);
  const output = pipeline(Readable.from(replay(), { objectMode: false }), decoder, () => {
    // Errors surface through the iteration below; pipeline needs a callback.
  }) as unknown as AsyncIterable<Buffer>;
  for await (const chunk of output) yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * A BodySource yielding the decoded bytes of `inner`, undoing `steps` in
 * order, enforcing the size and ratio limits. Cancelling it cancels the
 * inner body at once (so a stalled socket is released even while a
 * decompressor is waiting for input).
 */
export function decodedSource(
  inner: ResponseBody,
  steps: readonly Coding[],
  limits: DecodeLimits,
  context: ErrorContext,
): BodySource {
  let encodedBytes = 0;
  let decodedBytes = 0;

  async function* decoded(): AsyncGenerator<Uint8Array> {
    let stream: AsyncIterable<Uint8Array> = counted(inner, (count) => {
      encodedBytes += count;
    });
    for (const coding of steps) stream = decodeStep(stream, coding);
    try {
      for await (const chunk of stream) {
        decodedBytes += chunk.byteLength;
        if (decodedBytes > limits.maxDecodedBytes) {
          throw limitError(context, 'maxDecodedBytes', limits.maxDecodedBytes, decodedBytes);
        }
        if (decodedBytes > limits.ratioGraceBytes && decodedBytes > encodedBytes * limits.maxRatio) {
          throw limitError(
            context,
            'maxRatio',
            limits.maxRatio,
            Math.round(decodedBytes / Math.max(1, encodedBytes)),
          );
        }
        yield chunk;
      }
    } catch (error) {
      if (HttpClientError.is(error)) throw error;
      throw new HttpClientError('DECODE_FAILED', `Content decoding failed (${steps.join(' → ')})`, {
        method: context.method,
        url: context.url,
        cause: error,
        details: { steps: [...steps], encodedBytes, decodedBytes },
      });
    }
  }

  const source = sourceFromIterable(decoded());
  return {
    read: () => source.read(),
    cancel(reason) {
      source.cancel(reason);
      void inner.cancel(reason);
    },
  };
}

function limitError(context: ErrorContext, limit: string, max: number, seen: number): HttpClientError {
  return new HttpClientError(
    'LIMIT_EXCEEDED',
    `Decoded response exceeds ${limit} (${max}); refusing a decompression bomb`,
    {
      method: context.method,
      url: context.url,
      details: { limit, max, seen },
    },
  );
}

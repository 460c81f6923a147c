import type { Duplex } from 'node:stream';
import { HttpClientError, type HttpRequest } from '@x/core';
import { CRLF, chunkHeader, lastChunk, resolveTrailers, type SerializedRequestHead } from './serializer.js';

/** What the request writer needs from the connection. */
export interface WriteChannel {
  readonly socket: Duplex;
  /** True once the exchange no longer wants body bytes (failed, aborted, or an early final response). */
  stopped(): boolean;
  /** Settles when `stopped()` becomes true, so a body that never yields again cannot hold the writer. */
  readonly whenStopped: Promise<void>;
  /** Resolves when the socket drained; rejects when the connection fails meanwhile. */
  drained(): Promise<void>;
  /** With Expect: 100-continue: resolves true to send the body, false to skip it. */
  continueDecision(): Promise<boolean>;
  /** Called just before the first byte is handed to the socket. */
  firstWrite(): void;
  /** Called synchronously once the last byte was handed to the socket (before the promise settles). */
  lastWrite(): void;
}

export type WriteOutcome = 'complete' | 'skipped' | 'stopped';

const STOPPED: unique symbol = Symbol('stopped');

/**
 * Writes one request: head, then the body streamed with backpressure (each
 * chunk waits for the socket to drain; nothing is buffered whole), framed
 * by Content-Length or chunked coding. A body that yields more or fewer
 * bytes than its declared length is an INVALID_REQUEST error: the bytes
 * already written cannot be framed correctly, so the caller destroys the
 * connection.
 */
export async function writeRequest(
  request: HttpRequest,
  serialized: SerializedRequestHead,
  channel: WriteChannel,
): Promise<WriteOutcome> {
  const { socket } = channel;
  const framing = serialized.framing;
  // Opened before the first byte: a body that cannot be read (a one-shot
  // body read twice) fails with nothing written and the connection intact.
  const iterator = request.body === null ? null : request.body.open()[Symbol.asyncIterator]();
  channel.firstWrite();
  try {
    if (framing.kind === 'none' || (framing.kind === 'length' && framing.length === 0 && iterator === null)) {
      socket.write(serialized.head);
      channel.lastWrite();
      return 'complete';
    }
    if (!socket.write(serialized.head)) await channel.drained();
    if (serialized.expectContinue && !(await channel.continueDecision())) return 'skipped';
    if (channel.stopped()) return 'stopped';
    const chunked = framing.kind === 'chunked';
    const declared = framing.kind === 'length' ? framing.length : null;
    let written = 0;
    const stop = channel.whenStopped.then((): typeof STOPPED => STOPPED);
    // Once every declared byte is out, a response that ends the exchange is not an early one.
    const whenStopped = (): WriteOutcome =>
      declared !== null && written === declared ? 'complete' : 'stopped';
    while (iterator !== null) {
      const step = await Promise.race([iterator.next(), stop]);
      if (step === STOPPED) return whenStopped();
      if (step.done) break;
      if (channel.stopped()) return whenStopped();
      const chunk = step.value;
      if (!(chunk instanceof Uint8Array))
        throw bodyError(request, 'The request body yielded something other than bytes');
      if (chunk.byteLength === 0) continue;
      written += chunk.byteLength;
      if (declared !== null && written > declared) {
        throw bodyError(request, `The request body is longer than its declared ${declared} bytes`);
      }
      let flowing: boolean;
      if (chunked) {
        socket.write(chunkHeader(chunk.byteLength));
        socket.write(chunk);
        flowing = socket.write(CRLF);
      } else {
        flowing = socket.write(chunk);
        if (written === declared) channel.lastWrite();
      }
      if (!flowing) await channel.drained();
      if (channel.stopped()) return whenStopped();
    }
    if (declared !== null && written !== declared) {
      throw bodyError(request, `The request body ended after ${written} of its declared ${declared} bytes`);
    }
    if (chunked) {
      const trailers = await Promise.race([resolveTrailers(request), stop]);
      if (trailers === STOPPED || channel.stopped()) return 'stopped';
      const flowing = socket.write(lastChunk(trailers));
      channel.lastWrite();
      if (!flowing) await channel.drained();
      return 'complete';
    }
    channel.lastWrite();
    return 'complete';
  } finally {
    // Finished, skipped, stopped or failed: the body's producer is told to
    // stop (a no-op for one that already ended). Not awaited: a producer
    // stuck in next() may only settle its return() after that, or never.
    iterator?.return?.()?.then(undefined, () => undefined);
  }
}

function bodyError(request: HttpRequest, message: string): HttpClientError {
  return new HttpClientError('INVALID_REQUEST', message, {
    method: request.method,
    url: request.url,
    requestSent: true,
  });
}

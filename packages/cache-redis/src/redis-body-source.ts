import { type BodySource, HttpClientError } from '@x/core';
import { RESP_TYPES } from 'redis';
import type { RedisCommandClient } from './redis-store.js';

const BLOBS_AS_BUFFERS = { [RESP_TYPES.BLOB_STRING]: Buffer };

/** Streams a body with GETRANGE; a body that vanished or shrank mid-read is an error, never a short body. */
export function rangeSource(
  client: RedisCommandClient,
  bodyKey: string,
  size: number,
  chunkBytes: number,
  timeout: number,
): BodySource {
  let position = 0;
  let cancelled = false;
  return {
    async read() {
      if (cancelled)
        throw new HttpClientError('ABORTED', 'The cached body was cancelled', { requestSent: false });
      if (position >= size) return null;
      const end = Math.min(size, position + chunkBytes) - 1;
      let reply: unknown;
      try {
        reply = await client.sendCommand(['GETRANGE', bodyKey, String(position), String(end)], {
          typeMapping: BLOBS_AS_BUFFERS,
          timeout,
        });
      } catch (cause) {
        throw new HttpClientError('CONNECTION_CLOSED', 'Reading the cached body from Redis failed', {
          cause,
        });
      }
      const bytes = Buffer.isBuffer(reply) ? reply : Buffer.from(typeof reply === 'string' ? reply : '');
      if (bytes.byteLength !== end - position + 1) {
        throw new HttpClientError('CONNECTION_CLOSED', 'The cached body disappeared while it was read', {
          details: { expected: size, read: position },
        });
      }
      position += bytes.byteLength;
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    cancel() {
      cancelled = true;
    },
  };
}

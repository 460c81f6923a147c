import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { type BodySource, HttpClientError } from '@x/core';

/**
 * Reads a body file in chunks. The file is opened on the first read, so a
 * response whose body is never read holds no file descriptor; a file that
 * vanished by then, or ends early, is an error, never a short body.
 */
export function fileSource(path: string, size: number, chunkBytes: number): BodySource {
  let handle: FileHandle | undefined;
  let position = 0;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    handle?.close().catch(() => undefined);
  };
  const failure = (message: string, cause?: unknown) => {
    close();
    return new HttpClientError('CONNECTION_CLOSED', message, {
      cause,
      details: { expected: size, read: position },
    });
  };
  return {
    async read() {
      if (closed) {
        if (position >= size) return null;
        throw new HttpClientError('ABORTED', 'The cached body was cancelled', { requestSent: false });
      }
      if (position >= size) {
        close();
        return null;
      }
      if (handle === undefined) {
        try {
          handle = await open(path, 'r');
        } catch (cause) {
          throw failure('The cached body file is gone', cause);
        }
        if (closed) {
          // Cancelled while the file was opening.
          await handle.close().catch(() => undefined);
          throw new HttpClientError('ABORTED', 'The cached body was cancelled', { requestSent: false });
        }
      }
      const buffer = new Uint8Array(Math.min(chunkBytes, size - position));
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, buffer.byteLength, position));
      } catch (cause) {
        throw failure('Reading the cached body failed', cause);
      }
      if (bytesRead === 0) throw failure('The cached body file ended early');
      position += bytesRead;
      return bytesRead === buffer.byteLength ? buffer : buffer.subarray(0, bytesRead);
    },
    cancel() {
      close();
    },
  };
}

import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { HttpClientError, type HttpResponse } from '@x/core';
import type { HeaderList } from '@x/headers';
import type { ProgressBar } from './cli-progress.js';

/** The status line and fields as -i prints them (CRLF, as they came over the wire). */
export function formatHead(version: string, status: number, reason: string, headers: HeaderList): string {
  let text = `HTTP/${version} ${status}${reason === '' ? '' : ` ${reason}`}\r\n`;
  for (const [name, value] of headers) text += `${name}: ${value}\r\n`;
  return `${text}\r\n`;
}

/** Streams the body to `output`, one chunk in flight; cancels the body if writing fails. `onWritten` counts bytes. */
export async function pipeBody(
  response: HttpResponse,
  output: Writable,
  onWritten: (bytes: number) => void = () => undefined,
): Promise<void> {
  try {
    for await (const chunk of response.body) {
      await writeOrFail(output, chunk);
      onWritten(chunk.byteLength);
    }
  } catch (error) {
    await response.body.cancel();
    throw error;
  }
}

/** Streams the body into a file (created or truncated), drawing `bar` as it goes. */
export async function saveBody(
  response: HttpResponse,
  path: string,
  bar: ProgressBar | undefined,
  onWritten: (bytes: number) => void = () => undefined,
): Promise<void> {
  const file = createWriteStream(path);
  let fileError: Error | undefined;
  file.on('error', (error) => {
    fileError = error;
  });
  let received = 0;
  try {
    for await (const chunk of response.body) {
      if (fileError !== undefined) throw outputError(fileError);
      received += chunk.byteLength;
      await writeOrFail(file, chunk);
      onWritten(chunk.byteLength);
      bar?.update(received, response.body.length, 0);
    }
    bar?.finish();
  } finally {
    await new Promise<void>((resolve) => {
      if (file.closed) resolve();
      else file.end(() => resolve());
      file.once('error', () => resolve());
    });
  }
  if (fileError !== undefined) throw outputError(fileError);
}

/** A failure writing the output (a closed pipe, a full disk, the cookie jar): exit code 23. */
export function outputError(cause?: unknown, message = 'Writing the output failed'): HttpClientError {
  return new HttpClientError('DOWNLOAD_WRITE_FAILED', message, { cause });
}

/**
 * Writes and waits for the write to complete (one chunk in flight: memory
 * stays flat whatever the body size); false when the stream failed, e.g.
 * EPIPE because the reader of a pipe went away.
 */
export function write(stream: Writable, data: string | Uint8Array): Promise<boolean> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) {
      resolve(false);
      return;
    }
    const onError = () => resolve(false);
    stream.once('error', onError);
    stream.write(data, (error) => {
      stream.off('error', onError);
      resolve(error == null);
    });
  });
}

export async function writeOrFail(stream: Writable, data: string | Uint8Array): Promise<void> {
  if (!(await write(stream, data))) throw outputError();
}

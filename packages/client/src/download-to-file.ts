import { createWriteStream, type WriteStream } from 'node:fs';
import { abortError, type Clock, HttpClientError, type HttpResponse, systemClock } from '@x/core';
import { contentRange, type HeaderInit, HeaderList, parseEntityTag, parseHttpDate } from '@x/headers';
import type { TimeoutInit } from './client-options.js';
import { type RequestSender, requestHeaders } from './client-request.js';
import { expectSuccess } from './status-error.js';

export interface DownloadProgress {
  /** Bytes in the file so far (resumed bytes included). */
  readonly received: number;
  /** The full length when the server said it, else null. */
  readonly total: number | null;
  /** Where the current transfer started: 0, or the offset it resumed from. */
  readonly resumedFrom: number;
}

export interface DownloadOptions {
  onProgress?: ((progress: DownloadProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** Extra request fields (Authorization...). Range and If-Range are the helper's. */
  headers?: HeaderInit | undefined;
  timeout?: TimeoutInit | undefined;
  /** Resumes after a broken transfer before giving up. Default 5. */
  maxResumes?: number | undefined;
  /** Wait before each resume, in ms. Default 500. */
  resumeDelay?: number | undefined;
  clock?: Clock | undefined;
}

export interface DownloadResult {
  readonly path: string;
  /** Bytes in the file. */
  readonly bytes: number;
  /** Transfers continued with Range + If-Range. */
  readonly resumes: number;
  /** Times the file was started over because the resource changed (or the server ignored Range). */
  readonly restarts: number;
  /** The final URL, after redirects. */
  readonly url: URL;
  readonly etag: string | null;
  /** Status line and header fields of the last response (206 after a resume). */
  readonly status: number;
  readonly reason: string;
  readonly headers: HeaderList;
}

declare module '@x/core' {
  interface ErrorCodes {
    /** `downloadToFile` could not write the file (`cause` is the fs error). */
    DOWNLOAD_WRITE_FAILED: true;
  }
}

/** Errors after which continuing the transfer makes sense (the peer went away or stalled). */
const RESUMABLE = new Set(['CONNECTION_CLOSED', 'TIMEOUT', 'CONNECT_FAILED']);

/**
 * Saves a resource to `path`, continuing a broken transfer where it stopped:
 * `Range: bytes=N-` with `If-Range` (RFC 9110 §13.1.5, §14.2) carrying the
 * strong ETag, or a Last-Modified that counts as strong (§8.8.2.2: at least a
 * second before Date). A 206 must start exactly at N (Content-Range); a 200
 * means the resource changed (or Range is not supported) and the file is
 * started over. Without a usable validator a broken transfer restarts from
 * 0 rather than risk stitching two versions together.
 *
 * The representation is saved as sent (`Accept-Encoding: identity`, no
 * decoding), because byte offsets refer to it. A status other than 2xx is
 * HTTP_STATUS. Writes respect the file stream's backpressure.
 */
export async function downloadToFile(
  sender: RequestSender,
  url: string | URL,
  path: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const clock = options.clock ?? systemClock();
  const maxResumes = options.maxResumes ?? 5;
  const resumeDelay = options.resumeDelay ?? 500;
  let offset = 0;
  let validator: string | null = null;
  let etag: string | null = null;
  let total: number | null = null;
  let resumes = 0;
  let restarts = 0;
  let finalUrl = typeof url === 'string' ? null : url;
  let last: HttpResponse | null = null;

  const retryOrThrow = async (error: unknown): Promise<void> => {
    if (!HttpClientError.is(error) || !RESUMABLE.has(error.code) || resumes >= maxResumes) throw error;
    if (options.signal?.aborted) throw error;
    resumes++;
    await sleep(clock, resumeDelay, options.signal);
  };

  for (;;) {
    const resuming = offset > 0 && validator !== null;
    if (offset > 0 && !resuming) {
      // No validator to prove the rest belongs to the same version: start over.
      offset = 0;
      restarts++;
    }
    const headers = requestHeaders(options.headers);
    headers.delete('range');
    headers.delete('if-range');
    if (!headers.has('accept-encoding')) headers.append('Accept-Encoding', 'identity');
    if (resuming) {
      headers.append('Range', `bytes=${offset}-`);
      headers.append('If-Range', validator as string);
    }
    let response: HttpResponse;
    try {
      response = await sender.request({
        url,
        headers,
        signal: options.signal,
        timeout: options.timeout,
        options: { decode: false },
        throwOnStatus: false,
      });
    } catch (error) {
      await retryOrThrow(error);
      continue;
    }
    finalUrl = response.url;
    last = response;
    let start: number;
    if (response.status === 206 && resuming) {
      const parsed = contentRange(response.headers);
      const range = parsed?.ok && parsed.value.unit === 'bytes' ? parsed.value.range : null;
      const sentTag = response.headers.get('etag');
      if (
        range === null ||
        range.start !== offset ||
        (etag !== null && sentTag !== null && sentTag !== etag)
      ) {
        // Not the continuation asked for: start over rather than stitch.
        await response.body.cancel();
        offset = 0;
        validator = null;
        restarts++;
        if (restarts > maxResumes)
          throw protocolError('resume-mismatch', 'The server keeps answering with another range');
        continue;
      }
      total = parsed?.ok ? (parsed.value.completeLength ?? total) : total;
      start = offset;
    } else if (response.status === 200) {
      if (resuming) restarts++;
      start = 0;
      etag = response.headers.get('etag');
      validator = chooseValidator(response.headers);
      total = response.body.length;
    } else if (response.status === 416 && resuming) {
      await response.body.cancel();
      const parsed = contentRange(response.headers);
      if (parsed?.ok && parsed.value.completeLength === offset) break;
      offset = 0;
      validator = null;
      restarts++;
      if (restarts > maxResumes) throw protocolError('resume-mismatch', 'The server refuses every resume');
      continue;
    } else {
      await expectSuccess(response, 'GET');
      await response.body.cancel();
      throw protocolError(
        'download-status',
        `A download needs 200 (or 206 when resuming), not ${response.status}`,
      );
    }
    const written = await writeBody(response, path, start, (received) =>
      options.onProgress?.({ received, total, resumedFrom: start }),
    );
    offset = start + written.bytes;
    if (written.error !== undefined) {
      await retryOrThrow(written.error);
      continue;
    }
    if (total !== null && offset !== total) {
      // Framing said the body was complete, yet the file length disagrees with the declared length.
      throw protocolError('download-length', `Saved ${offset} bytes, the server declared ${total}`);
    }
    break;
  }
  return {
    path,
    bytes: offset,
    resumes,
    restarts,
    url: finalUrl ?? new URL(String(url)),
    etag,
    status: last?.status ?? 0,
    reason: last?.reason ?? '',
    headers: last?.headers ?? new HeaderList(),
  };
}

/**
 * The If-Range validator (RFC 9110 §13.1.5): a strong entity tag, else a
 * Last-Modified date that is strong by §8.8.2.2, else none.
 */
export function chooseValidator(headers: HeaderList): string | null {
  const tagValue = headers.get('etag');
  if (tagValue !== null) {
    const tag = parseEntityTag(tagValue);
    return tag.ok && !tag.value.weak ? tagValue : null;
  }
  const lastModified = headers.get('last-modified');
  const date = headers.get('date');
  if (lastModified === null || date === null) return null;
  const modified = parseHttpDate(lastModified);
  const sent = parseHttpDate(date);
  return modified.ok && sent.ok && sent.value - modified.value >= 1000 ? lastModified : null;
}

/** Copies the body into the file at `start`; reports how far it got and the error that stopped it, if any. */
async function writeBody(
  response: HttpResponse,
  path: string,
  start: number,
  progress: (received: number) => void,
): Promise<{ bytes: number; error?: unknown }> {
  const stream = createWriteStream(path, { flags: start === 0 ? 'w' : 'r+', start });
  let failure: unknown;
  let streamError: unknown;
  stream.on('error', (error) => {
    streamError = error;
  });
  let received = start;
  try {
    for await (const chunk of response.body) {
      if (streamError !== undefined) break;
      received += chunk.byteLength;
      if (!stream.write(chunk)) await drained(stream);
      progress(received);
    }
  } catch (error) {
    failure = error;
  }
  await finish(stream);
  if (streamError !== undefined) {
    await response.body.cancel();
    throw new HttpClientError('DOWNLOAD_WRITE_FAILED', `Writing ${path} failed`, {
      cause: streamError,
      requestSent: true,
    });
  }
  return failure === undefined
    ? { bytes: stream.bytesWritten }
    : { bytes: stream.bytesWritten, error: failure };
}

function drained(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

function finish(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.closed) {
      resolve();
      return;
    }
    stream.once('close', () => resolve());
    stream.end();
  });
}

function sleep(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal, { requestSent: true }));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      timer.cancel();
      reject(abortError(signal as AbortSignal, { requestSent: true }));
    };
    const timer = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function protocolError(rule: string, message: string): HttpClientError {
  return new HttpClientError('PROTOCOL_ERROR', message, { rule, requestSent: true });
}

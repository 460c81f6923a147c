import { type BodySource, createResponse, type HttpResponse, ResponseBody, type ResponseMeta } from '@x/core';
import { asciiLower, formatContentRange, HeaderList } from '@x/headers';
import { abortable } from './abortable-source.js';
import type { CacheStore } from './cache-store.js';
import type { Candidate } from './cache-strategy.js';
import { multipartBody } from './multipart-body.js';
import { rangeAnswer } from './range.js';
import { NOT_MODIFIED_FIELDS } from './revalidation.js';

/** Building the responses the cache answers with itself. */

export interface ServeOptions {
  readonly store: CacheStore;
  readonly key: string;
  readonly candidate: Candidate;
  /** Current age in seconds (RFC 9111 §4.2.3). */
  readonly age: number;
  readonly method: string;
  readonly requestHeaders: HeaderList;
  readonly url: URL;
  readonly meta: ResponseMeta;
  /** Most range-specs answered; more and the whole response is sent (RFC 9110 §14.2). Default 100. */
  readonly maxRanges?: number | undefined;
  /** Cap for the buffering helpers of the body served (CacheOptions.bufferLimit). */
  readonly bufferLimit?: number | undefined;
  /** The caller's signal: aborting it fails the stored body's stream like a network one. */
  readonly signal?: AbortSignal | undefined;
  /**
   * This cache's RFC 9211 member, appended last to the fields built here
   * (one copy of the stored fields per response, not a second one for it).
   */
  readonly cacheStatus?: string | undefined;
}

/** The served fields, finished: this cache's Cache-Status member goes after everything else. */
function stamped(headers: HeaderList, cacheStatus: string | undefined): HeaderList {
  if (cacheStatus !== undefined) headers.append('Cache-Status', cacheStatus);
  return headers;
}

/** RFC 9111 §5.1: a response served from cache carries its current age, in whole seconds. */
function withAge(headers: HeaderList, age: number): HeaderList {
  const out = headers.clone();
  out.set('Age', String(Math.min(2_147_483_648, Math.max(0, Math.floor(age)))));
  return out;
}

/**
 * The stored response as an HttpResponse: its body streamed from the store,
 * or the byte range asked for (206 / 416) when the stored response is a
 * complete 200. Null when the store no longer has the body (the caller
 * treats that as a miss).
 */
export async function serveFromStore(options: ServeOptions): Promise<HttpResponse | null> {
  const { candidate, method, url, meta } = options;
  const head = candidate.entry.head;
  const headers = withAge(candidate.headers, options.age);
  if (method === 'HEAD') {
    return createResponse({
      status: head.status,
      reason: head.reason,
      headers: stamped(headers, options.cacheStatus),
      url,
      body: null,
      meta,
      method,
    });
  }
  const size = candidate.entry.bodySize;
  const range =
    head.status === 200
      ? rangeAnswer(options.requestHeaders, candidate.headers, size, {
          multipart: true,
          maxRanges: options.maxRanges,
        })
      : null;
  if (range?.kind === 'unsatisfiable') {
    headers.delete('content-length');
    headers.set('Content-Range', formatContentRange({ range: null, completeLength: size }));
    headers.set('Content-Length', '0');
    return createResponse({
      status: 416,
      headers: stamped(headers, options.cacheStatus),
      url,
      body: null,
      meta,
      method,
    });
  }
  let opened: BodySource | null;
  try {
    opened = await options.store.openBody(options.key, candidate.entry);
  } catch {
    // A failing store is a lost body: the caller treats it as a miss.
    opened = null;
  }
  if (opened === null) return null;
  const source =
    options.signal === undefined
      ? opened
      : abortable(opened, options.signal, { method, url, requestSent: false });
  if (range?.kind === 'multipart') {
    const multipart = multipartBody(source, range.ranges, size, headers.get('content-type'));
    headers.delete('content-type');
    headers.set('Content-Type', multipart.contentType);
    headers.set('Content-Length', String(multipart.length));
    return createResponse({
      status: 206,
      headers: stamped(headers, options.cacheStatus),
      url,
      body: new ResponseBody(multipart.source, {
        length: multipart.length,
        contentType: multipart.contentType,
        bufferLimit: options.bufferLimit,
        method,
        url,
      }),
      meta,
      method,
    });
  }
  if (range?.kind === 'partial') {
    headers.set('Content-Range', formatContentRange({ range, completeLength: size }));
    headers.set('Content-Length', String(range.end - range.start + 1));
    return createResponse({
      status: 206,
      headers: stamped(headers, options.cacheStatus),
      url,
      body: new ResponseBody(sliceSource(source, range.start, range.end), {
        length: range.end - range.start + 1,
        contentType: headers.get('content-type'),
        bufferLimit: options.bufferLimit,
        method,
        url,
      }),
      meta,
      method,
    });
  }
  // The stored body is complete, so its length is known exactly.
  const declared = headers.get('content-length');
  // Usually the stored Content-Length already says so: set it only when it does not.
  if (declared !== null && declared !== String(size)) headers.set('Content-Length', String(size));
  return createResponse({
    status: head.status,
    reason: head.reason,
    httpVersion: head.httpVersion,
    headers: stamped(headers, options.cacheStatus),
    url,
    body: new ResponseBody(source, {
      length: size,
      contentType: headers.get('content-type'),
      bufferLimit: options.bufferLimit,
      method,
      url,
    }),
    meta,
    method,
  });
}

/** RFC 9110 §15.4.5: the 304 a cache sends for a caller's own matching conditional request. */
export function notModifiedFromStore(
  candidate: Candidate,
  age: number,
  url: URL,
  meta: ResponseMeta,
  cacheStatus?: string,
): HttpResponse {
  const fields = new HeaderList();
  for (const [name, value] of candidate.headers) {
    if (NOT_MODIFIED_FIELDS.has(asciiLower(name))) fields.append(name, value);
  }
  return createResponse({
    status: 304,
    headers: stamped(withAge(fields, age), cacheStatus),
    url,
    body: null,
    meta,
  });
}

/** RFC 9111 §5.2.1.7: only-if-cached with nothing usable stored is answered 504 Gateway Timeout. */
export function gatewayTimeout(url: URL, meta: ResponseMeta, method: string): HttpResponse {
  return createResponse({ status: 504, headers: { 'Content-Length': '0' }, url, body: null, meta, method });
}

/** The bytes start..end (inclusive) of a stored body; the rest is never read. */
function sliceSource(source: BodySource, start: number, end: number): BodySource {
  let position = 0;
  let finished = false;
  return {
    async read() {
      for (;;) {
        if (finished) return null;
        const chunk = await source.read();
        if (chunk === null) {
          finished = true;
          return null;
        }
        const chunkStart = position;
        position += chunk.byteLength;
        if (position <= start) continue;
        const from = Math.max(0, start - chunkStart);
        const to = Math.min(chunk.byteLength, end + 1 - chunkStart);
        if (position > end) {
          finished = true;
          source.cancel();
        }
        return chunk.subarray(from, to);
      }
    },
    cancel(reason) {
      finished = true;
      source.cancel(reason);
    },
  };
}

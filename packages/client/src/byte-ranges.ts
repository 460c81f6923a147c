import { HttpClientError, type HttpResponse } from '@x/core';
import { contentRange, formatRange, HeaderList, InvalidHeaderError, type RangeSpec } from '@x/headers';
import { type RequestSender, requestHeaders } from './client-request.js';
import {
  byterangesBoundary,
  type MultipartLimits,
  parseMultipartByteranges,
} from './multipart-byteranges.js';
import { expectSuccess } from './status-error.js';

/** One range: `{ start, end }` (end inclusive, omitted: to the end) or the last `suffix` bytes. */
export type ByteRangeInit =
  | { readonly start: number; readonly end?: number | undefined }
  | { readonly suffix: number };

/** What `client.range()` takes: one range, several, or a ready `Range` value such as "bytes=0-99". */
export type RangeRequest = ByteRangeInit | readonly ByteRangeInit[] | string;

/** One part of the answer. For a 200 (the whole representation) `start` is 0 and `end` is null when the length is unknown. */
export interface RangePart {
  readonly start: number;
  readonly end: number | null;
  readonly completeLength: number | null;
  readonly headers: HeaderList;
  readonly body: AsyncIterable<Uint8Array>;
}

export interface RangeResult {
  /**
   * - `partial`: 206, the parts are the ranges the server chose to send
   *   (RFC 9110 §14.2 lets it merge or reorder them);
   * - `full`: 200, the server ignored Range (§14.2 allows it) and sends everything;
   * - `unsatisfiable`: 416, no part; `completeLength` says how long the representation is.
   */
  readonly kind: 'partial' | 'full' | 'unsatisfiable';
  readonly response: HttpResponse;
  readonly completeLength: number | null;
  /** The parts, in the order sent; read each body before the next (or skip it). Single use. */
  parts(limits?: MultipartLimits): AsyncIterable<RangePart>;
}

/**
 * Sends a GET with `Range` and reads the answer: one part for a single-range
 * 206, a streamed multipart/byteranges parse for several (RFC 9110 §14.6),
 * one whole part for a 200. Asks for `Accept-Encoding: identity` (unless the
 * caller set one) because ranges of a compressed representation cannot be
 * decoded alone. A status other than 200, 206 or 416 is HTTP_STATUS.
 */
export async function requestRange(
  sender: RequestSender,
  url: string | URL,
  ranges: RangeRequest,
  init: Omit<Parameters<RequestSender['request']>[0], 'url'> = {},
): Promise<RangeResult> {
  const method = init.method ?? 'GET';
  const headers = requestHeaders(init.headers, method);
  headers.set('Range', rangeValue(ranges, method));
  if (!headers.has('accept-encoding')) headers.append('Accept-Encoding', 'identity');
  const response = await sender.request({ ...init, method, url, headers, throwOnStatus: false });
  if (response.status === 416) {
    await response.body.cancel();
    const parsed = contentRange(response.headers);
    return {
      kind: 'unsatisfiable',
      response,
      completeLength: parsed?.ok ? parsed.value.completeLength : null,
      parts: () => emptyParts(),
    };
  }
  if (response.status === 200) {
    const length = response.body.length;
    return {
      kind: 'full',
      response,
      completeLength: length,
      parts: () =>
        oneShot([
          {
            start: 0,
            end: length === null ? null : length - 1,
            completeLength: length,
            headers: response.headers,
            body: response.body,
          },
        ]),
    };
  }
  if (response.status !== 206) {
    await expectSuccess(response, method);
    await response.body.cancel();
    throw new HttpClientError('HTTP_STATUS', `Range request answered ${response.status}`, {
      method,
      url: response.url,
      details: { status: response.status, reason: response.reason },
    });
  }
  return partialResult(response, method);
}

function partialResult(response: HttpResponse, method: string): RangeResult {
  const boundary = byterangesBoundary(response.headers.get('content-type'));
  const single = contentRange(response.headers);
  if (boundary === null) {
    if (single === null || !single.ok || single.value.range === null || single.value.unit !== 'bytes') {
      void response.body.cancel();
      throw new HttpClientError(
        'PROTOCOL_ERROR',
        'A 206 response has neither a valid Content-Range nor multipart/byteranges',
        {
          method,
          url: response.url,
          rule: 'partial-content-range',
        },
      );
    }
    const { range, completeLength } = single.value;
    return {
      kind: 'partial',
      response,
      completeLength,
      parts: () =>
        oneShot([
          {
            start: range.start,
            end: range.end,
            completeLength,
            headers: response.headers,
            body: exactLength(response.body, range.end - range.start + 1),
          },
        ]),
    };
  }
  return {
    kind: 'partial',
    response,
    completeLength: null,
    parts: (limits) => parseMultipartByteranges(response.body, boundary, limits),
  };
}

/** A 206's Content-Range promises an exact length; a body that disagrees is an error, never a short success. */
async function* exactLength(source: AsyncIterable<Uint8Array>, expected: number): AsyncGenerator<Uint8Array> {
  let received = 0;
  for await (const chunk of source) {
    received += chunk.byteLength;
    if (received > expected) throw lengthMismatch(received, expected);
    yield chunk;
  }
  if (received !== expected) throw lengthMismatch(received, expected);
}

function lengthMismatch(received: number, expected: number): HttpClientError {
  return new HttpClientError(
    'PROTOCOL_ERROR',
    `The partial body held ${received} bytes, Content-Range says ${expected}`,
    {
      rule: 'partial-content-length',
    },
  );
}

function rangeValue(ranges: RangeRequest, method: string): string {
  try {
    if (typeof ranges === 'string') {
      HeaderList.validate('Range', ranges);
      return ranges;
    }
    const list: readonly ByteRangeInit[] = Array.isArray(ranges) ? ranges : [ranges as ByteRangeInit];
    const specs: RangeSpec[] = list.map((range) =>
      'suffix' in range
        ? { kind: 'suffix', length: range.suffix }
        : { kind: 'int', first: range.start, last: range.end },
    );
    return formatRange(specs);
  } catch (error) {
    if (InvalidHeaderError.is(error)) {
      throw new HttpClientError('INVALID_REQUEST', error.message, {
        method,
        requestSent: false,
        cause: error,
      });
    }
    throw error;
  }
}

async function* oneShot(parts: readonly RangePart[]): AsyncGenerator<RangePart> {
  for (const part of parts) yield part;
}

async function* emptyParts(): AsyncGenerator<RangePart> {}

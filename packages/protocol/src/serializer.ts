import { HttpClientError, type HttpRequest } from '@x/core';
import { type HeaderInit, HeaderList, InvalidHeaderError, isToken } from '@x/headers';
import { parseContentLength } from './framing.js';
import { FIELD_BLOCK, fieldBlockOf, NO_FIELDS } from './request-field-block.js';
import { http1Option } from './request-options.js';

/**
 * Turns an HttpRequest into the bytes of an HTTP/1.1 request head
 * (RFC 9112 §3) and decides the body framing. Everything the caller gave is
 * validated before a byte is produced (SECURITY.md rules 1-3): a method that
 * is not a token, a CR/LF/NUL in a field, a target with spaces or controls,
 * or framing headers that disagree with the body are INVALID_REQUEST
 * errors with `requestSent: false`.
 */

export type RequestFraming =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked' };

export interface SerializedRequestHead {
  readonly head: Buffer;
  readonly framing: RequestFraming;
  /** The request carries `Expect: 100-continue` and a body: wait before sending it. */
  readonly expectContinue: boolean;
  /** The request asked the server to close (`Connection: close`). */
  readonly closeRequested: boolean;
}

export interface SerializeOptions {
  /** Add `Connection: close` unless the caller sent a Connection field. */
  connectionClose?: boolean | undefined;
}

/** Methods whose requests should say `Content-Length: 0` when bodiless (RFC 9110 §8.6). */
const CONTENT_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export function serializeRequestHead(
  request: HttpRequest,
  options: SerializeOptions = {},
): SerializedRequestHead {
  const method = request.method;
  if (typeof method !== 'string' || !isToken(method)) {
    throw invalid(request, `Method ${JSON.stringify(method)} is not an RFC 9110 token`);
  }
  const target = requestTarget(request);
  const headers = request.headers;
  // Lists handed to many requests (a client's default fields, copied per
  // request) are checked and written once; a list of another copy of
  // @x/headers without memo() is done per request.
  const block =
    headers.size === 0
      ? NO_FIELDS
      : typeof headers.memo === 'function'
        ? headers.memo(FIELD_BLOCK, fieldBlockOf)
        : fieldBlockOf(headers);
  if (block.problem !== null) throw invalid(request, block.problem);
  const framing = decideRequestFraming(request, block.contentLength, block.transferEncoding);
  let text = `${method} ${target} HTTP/1.1\r\nHost: ${block.host ?? request.url.host}\r\n${block.text}`;
  if (framing.kind === 'length') text += `Content-Length: ${framing.length}\r\n`;
  else if (framing.kind === 'chunked') text += 'Transfer-Encoding: chunked\r\n';
  else if (CONTENT_METHODS.has(method)) text += 'Content-Length: 0\r\n';
  const waitForContinue =
    block.expectContinue && framing.kind !== 'none' && !(framing.kind === 'length' && framing.length === 0);
  if (waitForContinue) text += 'Expect: 100-continue\r\n';
  let closeRequested = block.closeRequested;
  if (options.connectionClose && !block.hasConnection) {
    text += 'Connection: close\r\n';
    closeRequested = true;
  }
  text += '\r\n';
  return { head: Buffer.from(text, 'latin1'), framing, expectContinue: waitForContinue, closeRequested };
}

/**
 * RFC 9112 §3.2 request-target from the parsed URL: never the fragment,
 * never userinfo. A path like "//host/" stays a path (origin-form keeps it
 * verbatim), so it cannot be read as an authority.
 */
export function requestTarget(request: HttpRequest): string {
  const url = request.url;
  const form = http1Option(request, 'targetForm') ?? (request.method === 'CONNECT' ? 'authority' : 'origin');
  let target: string;
  if (form === 'authority') {
    const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
    target = `${url.hostname}:${port}`;
  } else {
    const path = `${url.pathname === '' ? '/' : url.pathname}${url.search}`;
    target = form === 'absolute' ? `${url.protocol}//${url.host}${path}` : path;
  }
  for (let index = 0; index < target.length; index++) {
    const code = target.charCodeAt(index);
    if (code <= 0x20 || code >= 0x7f) {
      throw invalid(request, `Request target has a forbidden character at ${index}`);
    }
  }
  return target;
}

function decideRequestFraming(
  request: HttpRequest,
  contentLength: string | null,
  transferEncoding: string | null,
): RequestFraming {
  const body = request.body;
  if (contentLength !== null && transferEncoding !== null) {
    throw invalid(request, 'Both Content-Length and Transfer-Encoding given');
  }
  let callerLength: number | null = null;
  if (contentLength !== null) {
    const parsed = parseContentLength([contentLength]);
    if (typeof parsed !== 'number')
      throw invalid(request, `Invalid Content-Length ${JSON.stringify(contentLength)}`);
    callerLength = parsed;
  }
  if (transferEncoding !== null && transferEncoding.trim().toLowerCase() !== 'chunked') {
    throw invalid(
      request,
      'Only "Transfer-Encoding: chunked" may be given; the library applies no other coding',
    );
  }
  const trailersOption = http1Option(request, 'trailers');
  const trailers = trailersOption !== undefined;
  // A list given up front is checked before anything is sent; a function's
  // answer only exists after the body (resolveTrailers).
  if (trailers && typeof trailersOption !== 'function') {
    const problem = trailerProblem(trailersOption);
    if (problem !== null) throw invalid(request, problem);
  }
  if (body === null) {
    if (transferEncoding !== null || trailers) return { kind: 'chunked' };
    if (callerLength !== null && callerLength !== 0) {
      throw invalid(request, `Content-Length ${callerLength} given for a request without a body`);
    }
    return callerLength === 0 ? { kind: 'length', length: 0 } : { kind: 'none' };
  }
  if (callerLength !== null && body.length !== null && callerLength !== body.length) {
    throw invalid(request, `Content-Length ${callerLength} disagrees with the body's ${body.length} bytes`);
  }
  if (trailers) {
    if (callerLength !== null)
      throw invalid(request, 'Trailers need chunked framing, but Content-Length was given');
    return { kind: 'chunked' };
  }
  if (transferEncoding !== null) return { kind: 'chunked' };
  const length = body.length ?? callerLength;
  return length === null ? { kind: 'chunked' } : { kind: 'length', length };
}

/**
 * Fields a sender must not put in a trailer section (RFC 9110 §6.5.1):
 * framing, routing, connection control, authentication, and what decides
 * how the content is processed. A recipient could not act on them safely.
 */
const FORBIDDEN_TRAILERS = new Set([
  'content-length',
  'transfer-encoding',
  'trailer',
  'te',
  'host',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'authorization',
  'proxy-authorization',
  'cookie',
  'content-type',
  'content-encoding',
  'content-range',
]);

/** Serialises the last chunk and trailer section of a chunked body (RFC 9112 §7.1.2). */
export function lastChunk(trailers: HeaderList | null): Buffer {
  let text = '0\r\n';
  if (trailers !== null) for (const [name, value] of trailers) text += `${name}: ${value}\r\n`;
  return Buffer.from(`${text}\r\n`, 'latin1');
}

/** The size line of one chunk. */
export function chunkHeader(size: number): Buffer {
  return Buffer.from(`${size.toString(16)}\r\n`, 'latin1');
}

export const CRLF: Buffer = Buffer.from('\r\n', 'latin1');

/** Why these trailer fields cannot be sent, or null: a forbidden name or an invalid field. */
function trailerProblem(init: HeaderInit): string | null {
  let trailers: HeaderList;
  try {
    trailers = init instanceof HeaderList ? init : new HeaderList(init);
  } catch (error) {
    return `Invalid request trailers: ${describe(error)}`;
  }
  for (const name of trailers.names()) {
    if (FORBIDDEN_TRAILERS.has(name)) return `${name} may not be sent as a trailer (RFC 9110 §6.5.1)`;
  }
  return null;
}

/** Builds (and validates) the caller's trailer fields. */
export async function resolveTrailers(request: HttpRequest): Promise<HeaderList | null> {
  const option = http1Option(request, 'trailers');
  if (option === undefined) return null;
  try {
    const init = typeof option === 'function' ? await option() : option;
    const trailers = init instanceof HeaderList ? init : new HeaderList(init);
    const problem = trailerProblem(trailers);
    if (problem !== null) {
      throw new HttpClientError('INVALID_REQUEST', problem, {
        method: request.method,
        url: request.url,
        requestSent: true,
      });
    }
    return trailers;
  } catch (error) {
    if (HttpClientError.is(error)) throw error;
    throw new HttpClientError('INVALID_REQUEST', `Invalid request trailers: ${describe(error)}`, {
      method: request.method,
      url: request.url,
      requestSent: true,
      cause: error,
    });
  }
}

function describe(error: unknown): string {
  return InvalidHeaderError.is(error) || error instanceof Error ? error.message : String(error);
}

function invalid(request: HttpRequest, message: string): HttpClientError {
  return new HttpClientError('INVALID_REQUEST', message, {
    method: request.method,
    url: request.url,
    requestSent: false,
  });
}

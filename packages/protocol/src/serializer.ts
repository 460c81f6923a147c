import { HttpClientError, type HttpRequest } from '@x/core';
import { fieldValueProblem, HeaderList, InvalidHeaderError, isToken } from '@x/headers';
import { parseContentLength } from './framing.js';
import './request-options.js';

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

/**
 * True when a name of this length could be one of the fields the serializer
 * acts on: host (4), expect (6), connection (10), content-length (14),
 * transfer-encoding (17). Keep in step with the names compared below.
 */
function mayBeSpecialName(length: number): boolean {
  return length === 4 || length === 6 || length === 10 || length === 14 || length === 17;
}

export function serializeRequestHead(
  request: HttpRequest,
  options: SerializeOptions = {},
): SerializedRequestHead {
  const method = request.method;
  if (typeof method !== 'string' || !isToken(method)) {
    throw invalid(request, `Method ${JSON.stringify(method)} is not an RFC 9110 token`);
  }
  const target = requestTarget(request);
  let text = `${method} ${target} HTTP/1.1\r\n`;
  let host: string | null = null;
  let contentLength: string | null = null;
  let transferEncoding: string | null = null;
  let expectContinue = false;
  let closeRequested = false;
  let hasConnection = false;
  let fields = '';
  // The flat [name, value, ...] copy read by index: no generator and no
  // [name, value] pair per field, which showed in profiles of small heads.
  const raw = request.headers.toRaw();
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index] as string;
    const value = raw[index + 1] as string;
    if (!isToken(name)) throw invalid(request, `Header name ${JSON.stringify(name)} is not a token`);
    const problem = fieldValueProblem(value);
    if (problem !== null) throw invalid(request, `Header ${name} ${problem}`);
    // Only a name as long as one of the fields handled below can be one of
    // them, so most names are written without being lower-cased. A token is
    // ASCII, so its UTF-16 length is its length on the wire.
    if (!mayBeSpecialName(name.length)) {
      fields += `${name}: ${value}\r\n`;
      continue;
    }
    const key = name.toLowerCase();
    if (key === 'host') {
      if (host !== null) throw invalid(request, 'Host given twice');
      host = value;
      continue;
    }
    if (key === 'content-length') {
      if (contentLength !== null) throw invalid(request, 'Content-Length given twice');
      contentLength = value;
      continue;
    }
    if (key === 'transfer-encoding') {
      if (transferEncoding !== null) throw invalid(request, 'Transfer-Encoding given twice');
      transferEncoding = value;
      continue;
    }
    if (key === 'expect' && value.toLowerCase() === '100-continue') {
      // RFC 9110 §10.1.1: never sent without content; decided below.
      expectContinue = true;
      continue;
    }
    if (key === 'connection') {
      hasConnection = true;
      if (
        value
          .toLowerCase()
          .split(',')
          .some((token) => token.trim() === 'close')
      )
        closeRequested = true;
    }
    fields += `${name}: ${value}\r\n`;
  }
  const framing = decideRequestFraming(request, contentLength, transferEncoding);
  text += `Host: ${host ?? request.url.host}\r\n`;
  text += fields;
  if (framing.kind === 'length') text += `Content-Length: ${framing.length}\r\n`;
  else if (framing.kind === 'chunked') text += 'Transfer-Encoding: chunked\r\n';
  else if (CONTENT_METHODS.has(method)) text += 'Content-Length: 0\r\n';
  const waitForContinue =
    expectContinue && framing.kind !== 'none' && !(framing.kind === 'length' && framing.length === 0);
  if (waitForContinue) text += 'Expect: 100-continue\r\n';
  if (options.connectionClose && !hasConnection) {
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
  const form = request.options.http1?.targetForm ?? (request.method === 'CONNECT' ? 'authority' : 'origin');
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
  const trailers = request.options.http1?.trailers !== undefined;
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

/** Builds (and validates) the caller's trailer fields. */
export async function resolveTrailers(request: HttpRequest): Promise<HeaderList | null> {
  const option = request.options.http1?.trailers;
  if (option === undefined) return null;
  try {
    const init = typeof option === 'function' ? await option() : option;
    const trailers = init instanceof HeaderList ? init : new HeaderList(init);
    for (const name of trailers.names()) {
      if (FORBIDDEN_TRAILERS.has(name)) {
        throw new HttpClientError(
          'INVALID_REQUEST',
          `${name} may not be sent as a trailer (RFC 9110 §6.5.1)`,
          {
            method: request.method,
            url: request.url,
            requestSent: true,
          },
        );
      }
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

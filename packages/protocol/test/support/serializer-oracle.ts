/**
 * The request-head serializer as it was before it read `headers.toRaw()` by
 * index (git 8e18e2f, packages/protocol/src/serializer.ts), kept verbatim as
 * the oracle for serializer.property.test.ts: the new one must produce the
 * same bytes, framing and flags, and refuse the same requests with the same
 * messages. Not used by any source file.
 */
import { HttpClientError, type HttpRequest } from '@x/core';
import { fieldValueProblem, isToken } from '@x/headers';
import { parseContentLength } from '../../src/framing.js';
import type { RequestFraming, SerializedRequestHead, SerializeOptions } from '../../src/serializer.js';

const CONTENT_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export function serializeRequestHeadBefore(
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
  for (const [name, value] of request.headers) {
    if (!isToken(name)) throw invalid(request, `Header name ${JSON.stringify(name)} is not a token`);
    const problem = fieldValueProblem(value);
    if (problem !== null) throw invalid(request, `Header ${name} ${problem}`);
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
function requestTarget(request: HttpRequest): string {
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

function invalid(request: HttpRequest, message: string): HttpClientError {
  return new HttpClientError('INVALID_REQUEST', message, {
    method: request.method,
    url: request.url,
    requestSent: false,
  });
}

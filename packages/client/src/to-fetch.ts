import {
  type BodyInit,
  createRequest,
  HttpClientError,
  type HttpResponse,
  type HttpTransport,
  type RequestBody,
  type RequestOptions,
  streamBody,
  toRequestBody,
} from '@x/core';
import type { RedirectSettings } from '@x/redirect';
import { formDataBody } from './form-data-body.js';

/** A WHATWG fetch function. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Statuses whose Response must have a null body (Fetch standard "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * A `fetch`-compatible function over any HttpTransport, so a library that
 * takes a `fetch` can run on our stack.
 *
 * - `redirect: 'follow' | 'manual' | 'error'` is passed to the redirect
 *   layer as `options.redirect.mode` (a transport without that layer
 *   returns redirects as they are, i.e. behaves as 'manual').
 * - Bodies given as strings, bytes, Blob, URLSearchParams or FormData stay
 *   replayable (so a 307 can be followed); streams are one-shot. FormData
 *   goes out through `formDataBody` (streamed files, a boundary from crypto).
 * - Failures reject as fetch does: an abort rejects with the signal's
 *   reason; anything else is `TypeError('fetch failed')` whose `cause` is
 *   the HttpClientError.
 */
export function toFetch(transport: HttpTransport): FetchFunction {
  return async function fetch(input, init = {}) {
    const webRequest = new Request(input, init);
    const signal = init.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined;
    let body: RequestBody | null = null;
    const rawBody = init.body ?? null;
    const form = rawBody instanceof FormData;
    if (form) {
      body = formDataBody(rawBody);
    } else if (rawBody !== null && !(rawBody instanceof ReadableStream)) {
      body = toRequestBody(rawBody as BodyInit);
    } else if (webRequest.body !== null) {
      body = streamBody(webRequest.body as unknown as AsyncIterable<Uint8Array>);
    }
    // For a FormData body, Request filled in a Content-Type with its own
    // boundary; ours (random, from crypto) must go out instead, unless the
    // caller set the field.
    const dropContentType = form && !new Headers(init.headers).has('content-type');
    const headers: [string, string][] = [];
    webRequest.headers.forEach((value, name) => {
      if (dropContentType && name === 'content-type') return;
      headers.push([name, value]);
    });
    if (dropContentType && body?.contentType) headers.push(['content-type', body.contentType]);
    if (body?.contentType && !webRequest.headers.has('content-type'))
      headers.push(['content-type', body.contentType]);
    // Fetch's redirect modes are exactly @x/redirect's RedirectMode values.
    const redirect: RedirectSettings = { mode: webRequest.redirect };
    const options: RequestOptions = { redirect };
    let response: HttpResponse;
    try {
      const request = createRequest({
        method: webRequest.method,
        url: webRequest.url,
        headers,
        body,
        signal,
        options,
      });
      response = await transport.request(request);
    } catch (error) {
      throw fetchFailure(error, signal);
    }
    return toWebResponse(response);
  };
}

function fetchFailure(error: unknown, signal: AbortSignal | undefined): unknown {
  if (HttpClientError.is(error, 'ABORTED') && signal?.aborted) return signal.reason;
  return new TypeError('fetch failed', { cause: error });
}

function toWebResponse(response: HttpResponse): Response {
  const headers = new Headers();
  for (const [name, value] of response.headers) headers.append(name, value);
  let body: ReadableStream<Uint8Array> | null = null;
  if (NULL_BODY_STATUSES.has(response.status)) void response.body.cancel('null body status');
  else body = response.body.toWeb();
  const webResponse = new Response(body, {
    status: response.status,
    statusText: response.reason,
    headers,
  });
  const redirects = (response.meta as { redirects?: readonly unknown[] }).redirects;
  Object.defineProperty(webResponse, 'url', { value: response.url.href });
  Object.defineProperty(webResponse, 'redirected', { value: (redirects?.length ?? 0) > 0 });
  return webResponse;
}

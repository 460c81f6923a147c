import {
  abortError,
  type BodySource,
  createResponse,
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
} from '@x/core';
import { HeaderList } from '@x/headers';
import type { FetchFunction } from './to-fetch.js';

export interface FromFetchOptions {
  /**
   * Releases what the fetch holds (e.g. `() => agent.close()` for an undici
   * Agent bound to it). The platform's global fetch keeps sockets in a
   * process-wide pool this adapter cannot close; pass a fetch with its own
   * dispatcher and its closer when `close()` must leave no socket behind.
   */
  close?: () => Promise<void>;
}

/**
 * An HttpTransport over any `fetch` (for runtimes without sockets, or to put
 * our layers over a platform fetch). Redirects are not followed by the
 * fetch (`redirect: 'manual'`): stack `@x/redirect` on top for that.
 *
 * Limits of the fetch model, stated rather than hidden: no trailers (always
 * empty), no 1xx, HTTP version reported as 1.1, repeated response fields
 * arrive combined with ", " (Set-Cookie excepted), and `requestSent` is true
 * on every network failure after the call, since fetch cannot say how far
 * it got.
 */
export function fromFetch(fetchFunction: FetchFunction, options: FromFetchOptions = {}): HttpTransport {
  let closed = false;
  return {
    async request(request: HttpRequest): Promise<HttpResponse> {
      const { method, url, signal } = request;
      if (closed) {
        throw new HttpClientError('TRANSPORT_CLOSED', 'The transport is closed', {
          method,
          url,
          requestSent: false,
        });
      }
      if (signal?.aborted) throw abortError(signal, { method, url, requestSent: false });
      const headers = new Headers();
      for (const [name, value] of request.headers) headers.append(name, value);
      if (request.body?.contentType && !headers.has('content-type'))
        headers.set('content-type', request.body.contentType);
      const init: RequestInit & { duplex?: 'half' } = { method, headers, redirect: 'manual', signal };
      let stopUpload = () => {};
      if (request.body !== null) {
        const upload = pullStream(request.body.open());
        init.body = upload.stream;
        init.duplex = 'half';
        stopUpload = upload.stop;
      }
      // fetch does not always cancel the request stream on abort: stop the body's producer ourselves.
      const onAbort = () => stopUpload();
      signal?.addEventListener('abort', onAbort, { once: true });
      let response: Response;
      try {
        // Never send the fragment (RFC 9110 §4.2.4); copy so the request's URL stays untouched.
        const target = new URL(url.href);
        target.hash = '';
        response = await fetchFunction(target.href, init);
      } catch (error) {
        signal?.removeEventListener('abort', onAbort);
        stopUpload();
        if (signal?.aborted) throw abortError(signal, { method, url, requestSent: true });
        throw new HttpClientError('CONNECTION_CLOSED', 'fetch failed', {
          method,
          url,
          requestSent: true,
          cause: error,
        });
      }
      signal?.removeEventListener('abort', onAbort);
      const list = new HeaderList();
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') list.append(name, value);
      });
      for (const cookie of response.headers.getSetCookie()) list.append('set-cookie', cookie);
      return createResponse({
        status: response.status,
        reason: response.statusText,
        headers: list,
        url: response.url === '' ? url : new URL(response.url),
        body: response.body === null ? null : webStreamSource(response.body, request),
        method,
        signal,
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await options.close?.();
    },
  };
}

/**
 * A BodySource over fetch's response stream that reports an abort as
 * ABORTED (with the signal's reason), not as a broken stream.
 */
function webStreamSource(stream: ReadableStream<Uint8Array>, request: HttpRequest): BodySource {
  const reader = stream.getReader();
  const { method, url, signal } = request;
  return {
    async read() {
      try {
        const { done, value } = await reader.read();
        return done ? null : value;
      } catch (error) {
        if (signal?.aborted) throw abortError(signal, { method, url, requestSent: true });
        throw new HttpClientError('CONNECTION_CLOSED', 'The response body failed', {
          method,
          url,
          requestSent: true,
          cause: error,
        });
      }
    },
    cancel(reason) {
      reader.cancel(reason).catch(() => undefined);
    },
  };
}

/** A ReadableStream that pulls from an async iterable only when fetch reads (upload backpressure). */
function pullStream(source: AsyncIterable<Uint8Array>): {
  stream: ReadableStream<Uint8Array>;
  stop: () => void;
} {
  const iterator = source[Symbol.asyncIterator]();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    iterator.return?.()?.catch(() => undefined);
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (stopped) return controller.close();
        const step = await iterator.next();
        if (step.done) {
          stopped = true;
          controller.close();
        } else controller.enqueue(step.value);
      },
      cancel() {
        stop();
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, stop };
}

import {
  createResponse,
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  ResponseBody,
} from '@x/core';
import { HeaderList } from '@x/headers';
import type { FetchFunction } from './to-fetch.js';

/**
 * An HttpTransport over any `fetch` (for runtimes without sockets, or to put
 * our layers over a platform fetch). Redirects are not followed by the
 * fetch (`redirect: 'manual'`): stack `@x/redirect` on top for that.
 *
 * Limits of the fetch model, stated rather than hidden: no trailers (always
 * empty), no 1xx, HTTP version reported as 1.1, and `requestSent` is true on
 * every network failure since fetch cannot say how far it got.
 */
export function fromFetch(fetchFunction: FetchFunction): HttpTransport {
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
      const headers = new Headers();
      for (const [name, value] of request.headers) headers.append(name, value);
      if (request.body?.contentType && !headers.has('content-type'))
        headers.set('content-type', request.body.contentType);
      const init: RequestInit & { duplex?: 'half' } = { method, headers, redirect: 'manual', signal };
      if (request.body !== null) {
        init.body = pullStream(request.body.open());
        init.duplex = 'half';
      }
      let response: Response;
      try {
        // Never send the fragment (RFC 9110 §4.2.4); copy so the request's URL stays untouched.
        const target = new URL(url.href);
        target.hash = '';
        response = await fetchFunction(target.href, init);
      } catch (error) {
        if (signal?.aborted) {
          throw new HttpClientError('ABORTED', 'The request was aborted', {
            method,
            url,
            cause: signal.reason,
          });
        }
        throw new HttpClientError('CONNECTION_CLOSED', 'fetch failed', {
          method,
          url,
          requestSent: true,
          cause: error,
        });
      }
      const list = new HeaderList();
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') list.append(name, value);
      });
      for (const cookie of response.headers.getSetCookie()) list.append('set-cookie', cookie);
      const stream = response.body;
      return createResponse({
        status: response.status,
        reason: response.statusText,
        headers: list,
        url: response.url === '' ? url : new URL(response.url),
        body:
          stream === null
            ? null
            : ResponseBody.from(stream as unknown as AsyncIterable<Uint8Array>, {
                contentType: list.get('content-type'),
                method,
                url,
              }),
        method,
      });
    },
    async close() {
      closed = true;
    },
  };
}

/** A ReadableStream that pulls from an async iterable only when fetch reads (upload backpressure). */
function pullStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const step = await iterator.next();
        if (step.done) controller.close();
        else controller.enqueue(step.value);
      },
      async cancel(reason) {
        await iterator.return?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

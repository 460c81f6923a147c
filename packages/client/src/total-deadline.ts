import {
  type BodySource,
  type Clock,
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  type Layer,
  ResponseBody,
  systemClock,
  withRequestChanges,
  withResponseChanges,
} from '@x/core';

export interface TotalDeadlineOptions {
  clock?: Clock | undefined;
}

/**
 * Makes `options.timeout.total` a deadline for the whole call as the caller
 * sees it: every retry, backoff wait and redirect hop below, and the body
 * until its last byte. (Below this layer the protocol applies the same
 * `total` to each single exchange, which can only end sooner.)
 *
 * When the deadline passes, the request's signal is aborted, which stops
 * whatever is in progress in every layer and frees the socket; the caller
 * gets TIMEOUT with phase "total" instead of ABORTED, from the request or
 * from reading the body. A request without `timeout.total` passes through.
 */
export function withTotalDeadline(inner: HttpTransport, options: TotalDeadlineOptions = {}): HttpTransport {
  const clock = options.clock ?? systemClock();

  // Not async: most requests carry no total deadline, and handing back the
  // inner promise itself costs no extra promise or microtask per request.
  function request(request: HttpRequest): Promise<HttpResponse> {
    let total: number | undefined;
    try {
      total = request.options.timeout?.total;
    } catch (error) {
      // A throwing getter on a caller's options object still ends in a rejection, as from an async function.
      return Promise.reject(error);
    }
    if (total === undefined || request.signal?.aborted) return inner.request(request);
    return requestWithin(request, total);
  }

  /** The timer, the combined signal and the body wrapper exist only for a request with a deadline. */
  async function requestWithin(request: HttpRequest, total: number): Promise<HttpResponse> {
    const controller = new AbortController();
    const timeout = new HttpClientError(
      'TIMEOUT',
      `No complete response within ${total} ms (retries, redirects and body included)`,
      { method: request.method, url: request.url, phase: 'total' },
    );
    const timer = clock.setTimer(() => controller.abort(timeout), total);
    const signal =
      request.signal === undefined ? controller.signal : AbortSignal.any([request.signal, controller.signal]);
    const translate = (error: unknown): unknown =>
      controller.signal.aborted && HttpClientError.is(error, 'ABORTED') && request.signal?.aborted !== true
        ? timeout
        : error;
    let response: HttpResponse;
    try {
      response = await inner.request(withRequestChanges(request, { signal }));
    } catch (error) {
      timer.cancel();
      throw translate(error);
    }
    // The inner body is read the way the caller reads ours: through views()
    // when the caller borrows (so a transport that lends buffers still can),
    // else as owned chunks. Decided at the first read.
    let iterator: AsyncIterator<Uint8Array> | null = null;
    const next = async (borrowed: boolean): Promise<Uint8Array | null> => {
      iterator ??= borrowed ? response.body.views() : response.body[Symbol.asyncIterator]();
      try {
        const step = await iterator.next();
        if (step.done) {
          timer.cancel();
          return null;
        }
        return step.value;
      } catch (error) {
        timer.cancel();
        throw translate(error);
      }
    };
    const source: BodySource = {
      read: () => next(false),
      readView: () => next(true),
      cancel(reason) {
        timer.cancel();
        if (iterator === null) response.body.cancel(reason).catch(() => undefined);
        else iterator.return?.().catch(() => undefined);
      },
    };
    return withResponseChanges(response, {
      body: new ResponseBody(source, {
        contentType: response.headers.get('content-type'),
        length: response.body.length,
        bufferLimit: response.body.bufferLimit,
        method: request.method,
        url: response.url,
      }),
    });
  }

  return { request, close: () => inner.close() };
}

/** The deadline layer for `compose`. */
export function totalDeadline(options: TotalDeadlineOptions = {}): Layer {
  return (inner) => withTotalDeadline(inner, options);
}

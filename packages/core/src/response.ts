import { type HeaderInit, HeaderList } from '@x/headers';
import { HttpClientError } from './errors.js';
import { reasonPhrase } from './reason-phrases.js';
import { type BodySource, ResponseBody, sourceFromIterable } from './response-body.js';
import type { HttpResponse, ResponseMeta } from './transport.js';

export type ResponseBodyInit =
  | ResponseBody
  | BodySource
  | Uint8Array
  | string
  | Iterable<Uint8Array | string>
  | AsyncIterable<Uint8Array | string>
  | null;

export interface ResponseInit {
  status: number;
  reason?: string | undefined;
  httpVersion?: '1.0' | '1.1' | undefined;
  headers?: HeaderInit | undefined;
  url: URL | string;
  body?: ResponseBodyInit | undefined;
  /**
   * Trailer fields, delivered once the body has been read to its end. When
   * `body` is already a ResponseBody its end cannot be observed, so
   * `trailers` resolves at once: pass a BodySource (or an iterable) to get
   * trailers that settle after the body, and reject when it fails.
   */
  trailers?: HeaderInit | undefined;
  meta?: ResponseMeta | undefined;
  /** Aborting this signal fails the body with ABORTED (a mock honouring `request.signal`). */
  signal?: AbortSignal | undefined;
  method?: string | undefined;
  bufferLimit?: number | undefined;
}

/**
 * Builds a complete HttpResponse from plain values: for mocks, caches and
 * layers that synthesise responses. When the body is not already a
 * ResponseBody, `trailers` resolves after it ends and rejects if it fails or
 * is cancelled (the rejection is pre-handled: nobody is forced to await it).
 */
export function createResponse(init: ResponseInit): HttpResponse {
  const headers = init.headers instanceof HeaderList ? init.headers : new HeaderList(init.headers);
  const url = typeof init.url === 'string' ? new URL(init.url) : init.url;
  const trailerList = new HeaderList(init.trailers);
  let body: ResponseBody;
  let trailers: Promise<HeaderList>;
  if (init.body instanceof ResponseBody) {
    body = init.body;
    trailers = Promise.resolve(trailerList);
  } else {
    const input = init.body ?? null;
    const source = isBodySource(input)
      ? input
      : sourceFromIterable(
          input === null ? [] : typeof input === 'string' || input instanceof Uint8Array ? [input] : input,
        );
    const tracked = trackEnd(source, init.signal, init.method, url);
    body = new ResponseBody(tracked.source, {
      contentType: headers.get('content-type'),
      length: declaredLength(headers),
      bufferLimit: init.bufferLimit,
      method: init.method,
      url,
    });
    trailers = tracked.ended.then(() => trailerList);
    trailers.catch(() => undefined);
  }
  return {
    status: init.status,
    reason: init.reason ?? reasonPhrase(init.status),
    httpVersion: init.httpVersion ?? '1.1',
    headers,
    url,
    body,
    trailers,
    meta: init.meta ?? {},
  };
}

/** A new response with some parts replaced, for layers (responses are never mutated). */
export function withResponseChanges(response: HttpResponse, changes: Partial<HttpResponse>): HttpResponse {
  return { ...response, ...changes };
}

function isBodySource(value: unknown): value is BodySource {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as BodySource).read === 'function' &&
    typeof (value as BodySource).cancel === 'function'
  );
}

function declaredLength(headers: HeaderList): number | null {
  const value = headers.get('content-length');
  if (value === null || !/^\d+$/.test(value)) return null;
  return Number(value);
}

/** Wraps a source so a promise settles when it ends, and an AbortSignal can fail it. */
function trackEnd(
  source: BodySource,
  signal: AbortSignal | undefined,
  method: string | undefined,
  url: URL,
): { source: BodySource; ended: Promise<void> } {
  let resolveEnd!: () => void;
  let rejectEnd!: (error: unknown) => void;
  const ended = new Promise<void>((resolve, reject) => {
    resolveEnd = resolve;
    rejectEnd = reject;
  });
  ended.catch(() => undefined);
  let abortError: HttpClientError | undefined;
  const onAbort = () => {
    abortError = new HttpClientError('ABORTED', 'The request was aborted', {
      method,
      url,
      requestSent: true,
      cause: signal?.reason,
    });
    source.cancel(abortError);
    rejectEnd(abortError);
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const cleanup = () => signal?.removeEventListener('abort', onAbort);
  return {
    ended,
    source: {
      async read() {
        if (abortError) throw abortError;
        try {
          const chunk = await source.read();
          if (chunk === null) {
            cleanup();
            resolveEnd();
          }
          return chunk;
        } catch (error) {
          cleanup();
          const failure = abortError ?? error;
          rejectEnd(failure);
          throw failure;
        }
      },
      cancel(reason) {
        cleanup();
        source.cancel(reason);
        rejectEnd(
          new HttpClientError('ABORTED', 'The response body was cancelled', { method, url, cause: reason }),
        );
      },
    },
  };
}

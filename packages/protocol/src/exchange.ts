import type { HttpClientError, HttpRequest, HttpResponse, ResponseTimings, Timer } from '@x/core';
import type { HeaderList } from '@x/headers';
import type { ResponseHead } from './response-parser.js';
import type { SerializedRequestHead } from './serializer.js';
import type { SocketBodySource } from './socket-body-source.js';

/** Where one request/response pair stands on its connection. */
export type ExchangeStage = 'queued' | 'writing' | 'awaiting-head' | 'body' | 'complete' | 'failed';

/** One request and its response on a connection: all per-exchange state in one place. */
export interface Exchange {
  readonly request: HttpRequest;
  readonly serialized: SerializedRequestHead;
  readonly timings: ResponseTimings;
  readonly reused: boolean;
  stage: ExchangeStage;
  /** Some byte of the request was handed to the socket. */
  requestSent: boolean;
  /** The request (head and body) was fully written, skipped after a final response, or stopped. */
  writeFinished: boolean;
  /** The request body was not sent completely (early response, skipped 100-continue): no reuse. */
  bodyIncomplete: boolean;
  /** A response byte (interim responses included) arrived. */
  responseStarted: boolean;
  head: ResponseHead | null;
  /** The final head's fields, built once. */
  headers: HeaderList | null;
  body: SocketBodySource | null;
  trailers: HeaderList | null;
  /** Settles after the body: what `response.trailers` is. Rejections are pre-handled. */
  readonly trailersPromise: Promise<HeaderList>;
  resolve(response: HttpResponse): void;
  reject(error: HttpClientError): void;
  resolveTrailers(trailers: HeaderList): void;
  rejectTrailers(error: HttpClientError): void;
  /** Decides a pending Expect: 100-continue wait. */
  continueWith: ((send: boolean) => void) | null;
  headersTimer: Timer | null;
  idleTimer: Timer | null;
  totalTimer: Timer | null;
  detachSignal: (() => void) | null;
}

/** Cancels every timer and listener an exchange holds. */
export function releaseExchange(exchange: Exchange): void {
  exchange.headersTimer?.cancel();
  exchange.idleTimer?.cancel();
  exchange.totalTimer?.cancel();
  exchange.headersTimer = null;
  exchange.idleTimer = null;
  exchange.totalTimer = null;
  exchange.detachSignal?.();
  exchange.detachSignal = null;
  const decide = exchange.continueWith;
  exchange.continueWith = null;
  decide?.(false);
}

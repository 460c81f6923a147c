import {
  type Clock,
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  type ResponseTimings,
  type Timer,
} from '@x/core';
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
  body: SocketBodySource<Exchange> | null;
  trailers: HeaderList | null;
  /** Settles after the body: what `response.trailers` is. Rejections are pre-handled. */
  readonly trailersPromise: Promise<HeaderList>;
  resolve(response: HttpResponse): void;
  reject(error: HttpClientError): void;
  resolveTrailers(trailers: HeaderList): void;
  rejectTrailers(error: HttpClientError): void;
  /** Tells the request writer to stop (set while it runs). */
  stopWriting: (() => void) | null;
  /** Decides a pending Expect: 100-continue wait. */
  continueWith: ((send: boolean) => void) | null;
  headersTimer: Timer | null;
  idleTimer: Timer | null;
  totalTimer: Timer | null;
  detachSignal: (() => void) | null;
  /** Set while the rest of a cancelled body is read and discarded to keep the connection. */
  draining: DrainState | null;
}

/** A cancelled body being drained: the wire bytes it may still read, and its deadline. */
export interface DrainState {
  /** `bytesReceived` of the parser when the drain began. */
  readonly startedAt: number;
  readonly budget: number;
  readonly reason: unknown;
  timer: Timer | null;
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
  exchange.draining?.timer?.cancel();
  if (exchange.draining !== null) exchange.draining.timer = null;
  exchange.stopWriting?.();
  const decide = exchange.continueWith;
  exchange.continueWith = null;
  decide?.(false);
}

export interface ExchangeStart {
  readonly startedAt: number;
  readonly connectedAt: number | undefined;
  readonly reused: boolean;
}

/** A queued exchange whose promise settles through `resolve`/`reject`; its trailers promise is pre-handled. */
export function createExchange(
  request: HttpRequest,
  serialized: SerializedRequestHead,
  start: ExchangeStart,
  resolve: (response: HttpResponse) => void,
  reject: (error: HttpClientError) => void,
): Exchange {
  let resolveTrailers!: (trailers: HeaderList) => void;
  let rejectTrailers!: (error: HttpClientError) => void;
  const trailersPromise = new Promise<HeaderList>((resolveList, rejectList) => {
    resolveTrailers = resolveList;
    rejectTrailers = rejectList;
  });
  // Nobody is obliged to await the trailers: a failure must not be unhandled.
  trailersPromise.catch(() => undefined);
  return {
    request,
    serialized,
    timings: { start: start.startedAt, connected: start.connectedAt },
    reused: start.reused,
    stage: 'queued',
    requestSent: false,
    writeFinished: false,
    bodyIncomplete: false,
    responseStarted: false,
    head: null,
    headers: null,
    body: null,
    trailers: null,
    trailersPromise,
    resolve,
    reject,
    resolveTrailers,
    rejectTrailers,
    stopWriting: null,
    continueWith: null,
    headersTimer: null,
    idleTimer: null,
    totalTimer: null,
    detachSignal: null,
    draining: null,
  };
}

/**
 * Waits for the Expect: 100-continue decision: true on 100 or after `ms`
 * (RFC 9110 §10.1.1: a client need not wait forever), false when a final
 * response (or a failure) came first.
 */
export function waitForContinue(exchange: Exchange, clock: Clock, ms: number): Promise<boolean> {
  if (exchange.head !== null || exchange.stage === 'failed') return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = clock.setTimer(() => decide(true), ms);
    const decide = (send: boolean) => {
      timer.cancel();
      if (exchange.continueWith === decide) exchange.continueWith = null;
      resolve(send);
    };
    exchange.continueWith = decide;
  });
}

/**
 * What an unfinished exchange fails with when its connection ends: the
 * cause for the exchange that caused it; "not sent" (safe to resend) for
 * one never written; otherwise a close before its response.
 */
export function failureOnClose(
  exchange: Exchange,
  error: HttpClientError | null,
  culprit: boolean,
): HttpClientError {
  const { method, url } = exchange.request;
  if (culprit && error !== null) {
    // A TLS refusal on the stream decided whether the server can have read the request (socket-errors.ts).
    const sent =
      error.code === 'TLS_FAILED' ? error.requestSent && exchange.requestSent : exchange.requestSent;
    return error.withRequest(method, url, sent);
  }
  if (!exchange.requestSent) {
    return new HttpClientError('CONNECTION_CLOSED', 'The connection closed before the request was written', {
      method,
      url,
      requestSent: false,
      details: { responseStarted: false },
    });
  }
  return new HttpClientError('CONNECTION_CLOSED', 'The connection closed before the response', {
    method,
    url,
    requestSent: true,
    details: { responseStarted: exchange.responseStarted, bytesReceived: 0 },
  });
}

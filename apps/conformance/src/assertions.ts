import assert from 'node:assert/strict';
import { type ErrorCode, HttpClientError, type HttpResponse } from '@x/core';
import type { RouteState } from './servers/routes.js';

/** What the failure of a case must look like. */
export interface ExpectedError {
  /** The code, or the codes a transport may reasonably choose between. */
  readonly code: ErrorCode | readonly ErrorCode[];
  /** When given, `requestSent` must equal it (the retry-safety answer). */
  readonly requestSent?: boolean;
  readonly phase?: HttpClientError['phase'];
}

/** Awaits `promise`, which must reject with a matching HttpClientError; returns the error. */
export async function expectHttpError(
  promise: Promise<unknown>,
  expected: ExpectedError,
  what = 'the request',
): Promise<HttpClientError> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    checkError(error, expected, what);
    return error as HttpClientError;
  }
  // A success must not leave a body streaming: cancel it before failing.
  if (isResponse(value)) await value.body.cancel();
  assert.fail(`${what} resolved, expected an HttpClientError ${codes(expected).join(' or ')}`);
}

export function checkError(error: unknown, expected: ExpectedError, what = 'the request'): void {
  assert.ok(
    HttpClientError.is(error),
    `${what} rejected with ${describe(error)}, not an HttpClientError (contract: reject only with HttpClientError)`,
  );
  const allowed = codes(expected);
  assert.ok(
    allowed.includes(error.code),
    `${what} failed with ${error.code} (${error.message}), expected ${allowed.join(' or ')}`,
  );
  if (expected.requestSent !== undefined) {
    assert.equal(
      error.requestSent,
      expected.requestSent,
      `${what}: ${error.code} has requestSent=${error.requestSent}, expected ${expected.requestSent}`,
    );
  }
  if (expected.phase !== undefined) {
    assert.equal(
      error.phase,
      expected.phase,
      `${what}: TIMEOUT phase is ${error.phase}, expected ${expected.phase}`,
    );
  }
}

/** Reads the whole body as text. */
export function readText(response: HttpResponse): Promise<string> {
  return response.body.text();
}

/** The JSON the /echo route answers with. */
export interface EchoReply {
  method: string;
  target: string;
  headers: Array<[string, string]>;
  /** Request trailers the server received (always empty from the in-memory mock). */
  trailers: Array<[string, string]>;
  body: string | null;
  bodyLength: number;
  bodySha256: string;
  chunked: boolean;
  contentLength: string | null;
  connectionId: number;
}

export async function readEcho(response: HttpResponse): Promise<EchoReply> {
  assert.equal(response.status, 200, `/echo answered ${response.status}`);
  return (await response.body.json()) as EchoReply;
}

/** Header values the server received under `name` (case-insensitive), in order. */
export function echoed(reply: EchoReply, name: string): string[] {
  const lower = name.toLowerCase();
  return reply.headers.filter(([key]) => key.toLowerCase() === lower).map(([, value]) => value);
}

export function describe(error: unknown): string {
  if (HttpClientError.is(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function codes(expected: ExpectedError): readonly ErrorCode[] {
  return typeof expected.code === 'string' ? [expected.code] : expected.code;
}

function isResponse(value: unknown): value is HttpResponse {
  return typeof value === 'object' && value !== null && 'status' in value && 'body' in value;
}

/** Resolves after `ms`; rejects early with the signal's reason when it aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Reading the whole body must fail with a matching HttpClientError. */
export async function expectBodyError(
  response: HttpResponse,
  expected: ExpectedError,
): Promise<HttpClientError> {
  return expectHttpError(response.body.bytes(), expected, 'reading the body');
}

/** Resolves once the route servers have received a request for `target` ("/hang?key=x"). */
export async function untilReceived(state: RouteState, target: string, signal: AbortSignal): Promise<void> {
  while ((state.hits.get(`target:${target}`) ?? 0) === 0) await pause(5, signal);
}

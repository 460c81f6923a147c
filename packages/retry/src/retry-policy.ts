import { type ErrorCode, HttpClientError, type HttpRequest, type HttpResponse } from '@x/core';
import { retryAfter, retryAfterDelay } from '@x/headers';

export interface RetryPolicy {
  /** Retries after the first attempt. Default 2 (three attempts in all). */
  maxRetries: number;
  /** Methods retried on any retryable failure (RFC 9110 §9.2.2 idempotent methods). */
  methods: readonly string[];
  /** Statuses that trigger a retry. Default 408, 429, 500, 502, 503, 504. */
  statuses: readonly number[];
  /** Error codes that trigger a retry (network-level, transient). */
  errorCodes: readonly ErrorCode[];
  /** A request carrying this header is treated as idempotent (IETF draft Idempotency-Key). null disables. */
  idempotencyKeyHeader: string | null;
  /** First backoff ceiling in ms; doubles each attempt ("full jitter": a random delay below the ceiling). */
  baseDelay: number;
  /** Largest backoff ceiling in ms. */
  maxDelay: number;
  /** Longest Retry-After honoured, in ms; a longer one ends the retries and returns the response. */
  maxRetryAfter: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 2,
  methods: Object.freeze(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']),
  statuses: Object.freeze([408, 429, 500, 502, 503, 504]),
  errorCodes: Object.freeze<ErrorCode[]>(['CONNECT_FAILED', 'CONNECTION_CLOSED', 'TIMEOUT', 'DNS_FAILED']),
  idempotencyKeyHeader: 'idempotency-key',
  baseDelay: 100,
  maxDelay: 10_000,
  maxRetryAfter: 60_000,
});

export type RetryDecision =
  | { readonly retry: true; readonly delay: number; readonly reason: string }
  | { readonly retry: false; readonly reason: string };

export type Outcome = { readonly response: HttpResponse } | { readonly error: unknown };

/**
 * Whether the request may be sent again at all. A request is safe to repeat
 * when its method is idempotent (or it carries an idempotency key), or when
 * the failure proves nothing reached the server (`requestSent: false`). It
 * must also be possible: a one-shot body cannot be sent twice.
 */
function mayRepeat(request: HttpRequest, outcome: Outcome, policy: RetryPolicy): string | null {
  if (request.body !== null && !request.body.replayable) return 'request body is not replayable';
  const method = request.method.toUpperCase();
  if (policy.methods.includes(method)) return null;
  const key = policy.idempotencyKeyHeader;
  if (key !== null && request.headers.has(key)) return null;
  if ('error' in outcome && HttpClientError.is(outcome.error) && !outcome.error.requestSent) return null;
  return `${request.method} is not idempotent and the request may have reached the server`;
}

/** Backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"). */
export function backoffDelay(retryNumber: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelay, policy.baseDelay * 2 ** (retryNumber - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Decides, with no I/O, whether attempt `retryNumber` (1 for the first
 * retry) should happen after `outcome`, and after how long.
 */
export function decideRetry(
  request: HttpRequest,
  outcome: Outcome,
  retryNumber: number,
  policy: RetryPolicy,
  now: number,
  random: () => number,
): RetryDecision {
  if (retryNumber > policy.maxRetries) return { retry: false, reason: 'retries exhausted' };
  let trigger: string;
  let serverDelay: number | null = null;
  if ('response' in outcome) {
    const { status, headers } = outcome.response;
    if (!policy.statuses.includes(status)) return { retry: false, reason: `status ${status} is final` };
    trigger = `status ${status}`;
    // RFC 9110 §10.2.3: Retry-After on 503 (and 429, RFC 6585 §4) says how long to wait.
    const parsed = retryAfter(headers);
    if (parsed?.ok) serverDelay = retryAfterDelay(parsed.value, now);
  } else {
    const { error } = outcome;
    if (!HttpClientError.is(error)) return { retry: false, reason: 'not an HttpClientError' };
    if (!policy.errorCodes.includes(error.code))
      return { retry: false, reason: `${error.code} is not retryable` };
    trigger = error.code;
  }
  const refusal = mayRepeat(request, outcome, policy);
  if (refusal !== null) return { retry: false, reason: refusal };
  if (serverDelay !== null) {
    if (serverDelay > policy.maxRetryAfter) {
      return { retry: false, reason: `Retry-After ${serverDelay} ms exceeds maxRetryAfter` };
    }
    return { retry: true, delay: serverDelay, reason: `${trigger}, Retry-After` };
  }
  return { retry: true, delay: backoffDelay(retryNumber, policy, random), reason: trigger };
}

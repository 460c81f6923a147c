import type { CacheOptions } from '@x/cache';
import type { CookieJar } from '@x/cookies';
import {
  type Clock,
  type Connector,
  HttpClientError,
  type HttpTransport,
  type Layer,
  type TimeoutOptions,
} from '@x/core';
import type { DecodingOptions } from '@x/decode';
import type { HeaderInit } from '@x/headers';
import type { PoolOptions } from '@x/pool';
import type { RedirectOptions } from '@x/redirect';
import type { RetryOptions } from '@x/retry';
import type { TlsConnectorOptions } from '@x/tls-verify';
import type { ProxyOption } from './proxy-settings.js';

/** A timeout given as a number is the deadline of the whole exchange (`{ total: n }`). */
export type TimeoutInit = number | TimeoutOptions;

/**
 * The stack's layers as `compose` takes them, innermost first, each with a
 * name so a `layers` function can find, drop or wrap one.
 */
export interface NamedLayer {
  readonly name: 'decode' | 'cache' | 'cookies' | 'retry' | 'redirect' | 'deadline' | (string & {});
  readonly layer: Layer;
}

export interface ClientOptions {
  /**
   * Requests with a relative URL are resolved below this one. An absolute
   * URL to another origin is then refused unless `allowAbsoluteUrls`.
   */
  baseUrl?: string | URL | undefined;
  /** With a `baseUrl`, allow absolute request URLs to other origins. Default false (SECURITY.md rule 2). */
  allowAbsoluteUrls?: boolean | undefined;
  /** Sent with every request unless the request sets the same field. */
  headers?: HeaderInit | undefined;
  /**
   * The User-Agent field sent unless `headers` or the request sets one.
   * Default `x-http/<version>`; `null` sends none.
   */
  userAgent?: string | null | undefined;
  /** Default deadlines; a request's `timeout` overrides phase by phase. See DEFAULT_TIMEOUTS. */
  timeout?: TimeoutInit | undefined;
  /** Redirect layer options, or false to return 3xx responses as they are. Default: follow up to 20. */
  redirect?: RedirectOptions | false | undefined;
  /** Retry layer options, or false for none. Default: 2 retries of safe, transient failures. */
  retry?: RetryOptions | false | undefined;
  /** Content-decoding layer options, or false to get bodies as sent. Default: gzip, deflate, br, zstd. */
  decode?: DecodingOptions | false | undefined;
  /** Cache layer options; the cache is in the stack only when this is given. */
  cache?: CacheOptions | undefined;
  /**
   * Forward proxy: `false` (default) connects directly; one proxy URL
   * (string or URL: `http://`, `https://`, `socks5://`, `socks5h://`) serves
   * both schemes; an object gives the proxies (`{ http?, https?, noProxy?,
   * proxyCa? }`, see `@x/proxy`); `'environment'` reads HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY
   * from `process.env` once, when the client is built (the only
   * environment read of the library). Not combinable with `transport`.
   */
  proxy?: ProxyOption | undefined;
  /**
   * A cookie jar: `true` for a fresh in-memory jar (`createCookieJar()` of
   * `@x/cookies`), or your own tough-cookie `CookieJar` (e.g. from
   * `loadCookieJar`). Default: no cookies are stored or sent.
   */
  cookies?: boolean | CookieJar | undefined;
  /** TLS verification policy for https: (trust store, pins, client certificate). Default: Node's roots. */
  tls?: TlsConnectorOptions | undefined;
  /** Pool settings (limits, idle timeout, pipelining...). The connector is set by `connector`/`tls`. */
  pool?: Omit<PoolOptions, 'connector' | 'connectorKey' | 'clock'> | undefined;
  /**
   * Replaces the socket maker (a Unix socket, an in-memory pipe). Its
   * `poolKey`/`policyKey` property, if any, is part of the pool key.
   */
  connector?: Connector | undefined;
  /** Replaces the pool (and connector) as the base of the stack: a mock transport in tests, fromFetch(...). */
  transport?: HttpTransport | undefined;
  /**
   * The layers over the base, innermost first. An array replaces the
   * defaults; a function receives the defaults and returns the list to use.
   */
  layers?:
    | readonly Layer[]
    | ((defaults: readonly NamedLayer[]) => readonly (Layer | NamedLayer)[])
    | undefined;
  /** Clock for every layer that keeps time. Default systemClock(). */
  clock?: Clock | undefined;
}

/**
 * Finite defaults for every phase (SECURITY.md rule 17). No total deadline
 * by default: a large download may rightly take hours, and `bodyIdle`
 * already ends a transfer that stalls.
 */
export const DEFAULT_TIMEOUTS: Readonly<Required<Omit<TimeoutOptions, 'total'>>> = Object.freeze({
  connect: 10_000,
  queue: 30_000,
  headers: 30_000,
  bodyIdle: 30_000,
});

/** A timeout option as TimeoutOptions; a number is the total deadline. Bad values are INVALID_REQUEST. */
export function toTimeoutOptions(init: TimeoutInit | undefined): TimeoutOptions {
  if (init === undefined) return {};
  if (typeof init === 'number') return { total: checkedMilliseconds('total', init) };
  if (typeof init !== 'object' || init === null) throw invalidTimeout('timeout', init);
  const result: TimeoutOptions = {};
  for (const phase of ['connect', 'queue', 'headers', 'bodyIdle', 'total'] as const) {
    // Own properties only (SECURITY.md rule 4).
    if (!Object.hasOwn(init, phase)) continue;
    const value = init[phase];
    if (value !== undefined) result[phase] = checkedMilliseconds(phase, value);
  }
  return result;
}

/** Per-request phases over the client's: each phase given by the request wins. */
export function mergeTimeouts(base: TimeoutOptions, override: TimeoutOptions): TimeoutOptions {
  const merged: TimeoutOptions = { ...base };
  for (const [phase, value] of Object.entries(override) as [keyof TimeoutOptions, number | undefined][]) {
    if (value !== undefined) merged[phase] = value;
  }
  return merged;
}

function checkedMilliseconds(phase: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))
    throw invalidTimeout(phase, value);
  return value;
}

function invalidTimeout(phase: string, value: unknown): HttpClientError {
  return new HttpClientError(
    'INVALID_REQUEST',
    `Timeout ${phase} must be a positive, finite number of milliseconds, not ${String(value)}`,
    { requestSent: false, details: { phase } },
  );
}

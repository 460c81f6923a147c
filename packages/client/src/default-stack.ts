import process from 'node:process';
import { cache } from '@x/cache';
import { cookies as cookieLayer, createCookieJar } from '@x/cookies';
import { type Clock, compose, HttpClientError, type HttpTransport, type Layer } from '@x/core';
import { decoding } from '@x/decode';
import { createPool } from '@x/pool';
import { withProxy } from '@x/proxy';
import { redirects } from '@x/redirect';
import { retries } from '@x/retry';
import type { TlsConnector } from '@x/tls-verify';
import {
  type ClientOptions,
  DEFAULT_TIMEOUTS,
  type NamedLayer,
  type TimeoutInit,
  toTimeoutOptions,
} from './client-options.js';
import { buildDefaultConnector } from './default-connector.js';
import { ownOptions } from './own-options.js';
import { type ClientProxyOptions, resolveProxyOption } from './proxy-settings.js';
import { totalDeadline } from './total-deadline.js';

/** What `buildDefaultStack` made: the composed transport and the parts a caller may need. */
export interface DefaultStack {
  readonly transport: HttpTransport;
  /** The base the layers wrap: the pool (behind the proxy layer when there is a proxy), or the caller's `transport`. */
  readonly base: HttpTransport;
  /** The TLS connector in use, when the stack made one (for `policyKey`, session cache). */
  readonly tls: TlsConnector | undefined;
  /** The proxy settings in use (after reading the environment for `proxy: 'environment'`), if any. */
  readonly proxy: ClientProxyOptions | undefined;
}

/**
 * The one place the default stack is put together. Outermost first:
 *
 *   deadline → redirect → retry → cookies (with `cookies`) → cache (with `cache`)
 *     → decode → proxy (with `proxy`) → pool → connector
 *
 * - deadline is outermost so `timeout.total` bounds the whole call: every
 *   hop, retry and backoff, and the body (see total-deadline.ts);
 * - redirect comes next so every hop goes through everything below:
 *   a hop is retried on its own, gets the cookies of its own URL, may be
 *   answered from the cache, is decoded, is routed to its proxy or not
 *   (NO_PROXY) and gets a pooled connection for its own origin;
 * - retry sits under redirect, so a failed second hop repeats that hop (with
 *   the method the redirect rules chose for it, RFC 9110 §15.4), not the
 *   whole chain; and above the cache, so each attempt consults the store
 *   again and a stale-if-error answer (RFC 9111 §4.2.4, RFC 5861) ends the
 *   retrying instead of being retried past;
 * - cookies sit under redirect and retry: each hop and each attempt sends
 *   the jar's cookies for its own URL, and every Set-Cookie, a 302's
 *   included, is stored before the next hop (RFC 6265bis §5.7);
 *   above the cache, so the cache sees the Cookie field it may vary on;
 * - cache sits above decode so it stores what the application reads, with
 *   one entry per representation (Vary: Accept-Encoding stays meaningful);
 * - decode sits above the pool: it sees raw coded bytes, and nothing
 *   above ever sees Content-Encoding;
 * - the proxy layer is part of the base, directly above the pool, with the
 *   same settings as the pool's proxy connector (as @x/proxy requires): a
 *   `layers` option can never separate the two, so an http: request's
 *   Proxy-Authorization can never reach an origin (SECURITY.md 26), and no
 *   layer above (cache, redirect) ever sees that field.
 *
 * Options are read as own properties only (SECURITY.md rule 4).
 */
export function buildDefaultStack(options: ClientOptions): DefaultStack {
  const own = ownOptions(options);
  const clock = own.clock;
  let tls: TlsConnector | undefined;
  // The only environment read of the library, once, here, and only when
  // asked for with proxy: 'environment'.
  const proxy = resolveProxyOption(own.proxy, () => process.env);
  let base = own.transport;
  if (base !== undefined && proxy !== undefined) {
    // Over a caller's transport the proxy connector cannot be wired, and the
    // layer alone would send Proxy-Authorization to origins.
    throw new HttpClientError('INVALID_REQUEST', 'proxy cannot be combined with transport', {
      requestSent: false,
      details: { option: 'proxy' },
    });
  }
  if (base === undefined) {
    const made = buildDefaultConnector({ tls: own.tls, connector: own.connector, proxy, clock });
    tls = made.tls;
    const timeouts = { ...DEFAULT_TIMEOUTS, ...toTimeoutOptions(own.timeout as TimeoutInit | undefined) };
    base = createPool({
      connectTimeout: timeouts.connect,
      queueTimeout: timeouts.queue,
      ...ownOptions(own.pool),
      connector: made.connector,
      connectorKey: made.connectorKey,
      ...(clock ? { clock } : {}),
    });
    if (proxy !== undefined) base = withProxy(base, proxy);
  }
  const layers = chooseLayers(own, defaultLayers(own, clock));
  return { transport: compose(base, ...layers), base, tls, proxy };
}

/** The default layers, innermost first, as `compose` wants them. */
export function defaultLayers(options: ClientOptions, clock: Clock | undefined): NamedLayer[] {
  const own = ownOptions(options);
  const withClock = clock ? { clock } : {};
  const layers: NamedLayer[] = [];
  // Each layer gets a null-prototype copy of its options, so even a layer
  // that reads them with plain property access sees no inherited value.
  if (own.decode !== false) layers.push({ name: 'decode', layer: decoding(ownOptions(own.decode)) });
  if (own.cache !== undefined) layers.push({ name: 'cache', layer: cache(ownOptions(own.cache, withClock)) });
  const jar = own.cookies === true ? createCookieJar() : own.cookies;
  if (jar !== undefined && jar !== false)
    layers.push({ name: 'cookies', layer: cookieLayer({ jar, ...withClock }) });
  if (own.retry !== false) layers.push({ name: 'retry', layer: retries(ownOptions(own.retry, withClock)) });
  if (own.redirect !== false) layers.push({ name: 'redirect', layer: redirects(ownOptions(own.redirect)) });
  layers.push({ name: 'deadline', layer: totalDeadline(withClock) });
  return layers;
}

function chooseLayers(own: ClientOptions, defaults: NamedLayer[]): Layer[] {
  const chosen = own.layers;
  if (chosen === undefined) return defaults.map((entry) => entry.layer);
  if (typeof chosen === 'function') {
    return chosen(defaults).map((entry) => (typeof entry === 'function' ? entry : entry.layer));
  }
  return [...chosen];
}

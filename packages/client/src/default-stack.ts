import { cache } from '@x/cache';
import {
  type Clock,
  type Connector,
  type ConnectTarget,
  compose,
  type HttpTransport,
  type Layer,
} from '@x/core';
import { decoding } from '@x/decode';
import { connectorKeyOf, createPool } from '@x/pool';
import { tcpConnector } from '@x/protocol';
import { redirects } from '@x/redirect';
import { retries } from '@x/retry';
import { type TlsConnector, tlsConnector } from '@x/tls-verify';
import {
  type ClientOptions,
  DEFAULT_TIMEOUTS,
  type NamedLayer,
  type TimeoutInit,
  toTimeoutOptions,
} from './client-options.js';
import { totalDeadline } from './total-deadline.js';

/** What `buildDefaultStack` made: the composed transport and the parts a caller may need. */
export interface DefaultStack {
  readonly transport: HttpTransport;
  /** The base the layers wrap: the pool, or the caller's `transport`. */
  readonly base: HttpTransport;
  /** The TLS connector in use, when the stack made one (for `policyKey`, session cache). */
  readonly tls: TlsConnector | undefined;
}

/**
 * The one place the default stack is put together. Outermost first:
 *
 *   deadline → redirect → retry → cache (only with `cache`) → decode → pool → connector
 *
 * - deadline is outermost so `timeout.total` bounds the whole call: every
 *   hop, retry and backoff, and the body (see total-deadline.ts);
 * - redirect comes next so every hop goes through everything below:
 *   a hop is retried on its own, may be answered from the cache, is decoded
 *   and gets a pooled connection for its own origin;
 * - retry sits under redirect, so a failed second hop repeats that hop (with
 *   the method the redirect rules chose for it, RFC 9110 §15.4), not the
 *   whole chain; and above the cache, so each attempt consults the store
 *   again and a stale-if-error answer (RFC 9111 §4.2.4, RFC 5861) ends the
 *   retrying instead of being retried past;
 * - cache sits above decode so it stores what the application reads, with
 *   one entry per representation (Vary: Accept-Encoding stays meaningful);
 * - decode sits right above the pool: it sees raw coded bytes, and nothing
 *   above ever sees Content-Encoding.
 */
export function buildDefaultStack(options: ClientOptions): DefaultStack {
  const clock = options.clock;
  let tls: TlsConnector | undefined;
  let base = options.transport;
  if (base === undefined) {
    let connector = options.connector;
    let connectorKey: ((target: ConnectTarget) => string) | undefined;
    if (connector === undefined) {
      tls = tlsConnector({ ...options.tls, ...(clock ? { clock } : {}) });
      connector = schemeSwitch(tcpConnector(), tls);
      // protocol's schemeConnector would hide policyKey from the pool, so the
      // key is given explicitly: connections verified under one TLS policy
      // are never handed to a request made under another (SECURITY.md 15).
      const policyKey = tls.policyKey;
      connectorKey = (target) => (target.scheme === 'https' ? policyKey : '');
    } else {
      connectorKey = connectorKeyOf(connector);
    }
    const timeouts = { ...DEFAULT_TIMEOUTS, ...toTimeoutOptions(options.timeout as TimeoutInit | undefined) };
    base = createPool({
      connectTimeout: timeouts.connect,
      queueTimeout: timeouts.queue,
      ...options.pool,
      connector,
      connectorKey,
      ...(clock ? { clock } : {}),
    });
  }
  const layers = chooseLayers(options, defaultLayers(options, clock));
  return { transport: compose(base, ...layers), base, tls };
}

/** The default layers, innermost first, as `compose` wants them. */
export function defaultLayers(options: ClientOptions, clock: Clock | undefined): NamedLayer[] {
  const withClock = clock ? { clock } : {};
  const layers: NamedLayer[] = [];
  if (options.decode !== false) layers.push({ name: 'decode', layer: decoding(options.decode ?? {}) });
  if (options.cache !== undefined)
    layers.push({ name: 'cache', layer: cache({ ...withClock, ...options.cache }) });
  if (options.retry !== false)
    layers.push({ name: 'retry', layer: retries({ ...withClock, ...options.retry }) });
  if (options.redirect !== false) layers.push({ name: 'redirect', layer: redirects(options.redirect ?? {}) });
  layers.push({ name: 'deadline', layer: totalDeadline(withClock) });
  return layers;
}

function chooseLayers(options: ClientOptions, defaults: NamedLayer[]): Layer[] {
  const chosen = options.layers;
  if (chosen === undefined) return defaults.map((entry) => entry.layer);
  if (typeof chosen === 'function') {
    return chosen(defaults).map((entry) => (typeof entry === 'function' ? entry : entry.layer));
  }
  return [...chosen];
}

/** http: over TCP, https: over the TLS connector. */
function schemeSwitch(plain: Connector, secure: Connector): Connector {
  return (target, connectOptions) =>
    target.scheme === 'https' ? secure(target, connectOptions) : plain(target, connectOptions);
}

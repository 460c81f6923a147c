import type { Duplex } from 'node:stream';
import { type Clock, type ConnectTarget, createRequest, HttpClientError } from '@x/core';
import { Http1Connection } from '@x/protocol';
import { proxyFailure } from './errors.js';
import type { ProxyEndpoint } from './proxy-endpoint.js';

export interface TunnelOptions {
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** Deadline for the proxy's answer, ms. */
  readonly headersTimeout: number;
}

/**
 * Asks the proxy on `stream` for a tunnel to `target` (RFC 9110 §9.3.6) and
 * resolves with the same stream, now a byte pipe to the origin. The CONNECT
 * request carries Proxy-Authorization and nothing of the origin request: no
 * path, no origin credentials, no cookies. Any non-2xx answer, or a close,
 * is PROXY_FAILED with the proxy's status; the stream is then destroyed.
 */
export async function openTunnel(
  stream: Duplex,
  target: ConnectTarget,
  proxy: ProxyEndpoint,
  options: TunnelOptions,
): Promise<Duplex> {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const authority = `${host}:${target.port}`;
  const headers: [string, string][] = [['Host', authority]];
  if (proxy.authorization !== undefined) headers.push(['Proxy-Authorization', proxy.authorization]);
  const request = createRequest({
    method: 'CONNECT',
    url: `${target.scheme}://${authority}/`,
    headers,
    signal: options.signal,
    options: {
      http1: { targetForm: 'authority', upgrade: true },
      timeout: { headers: options.headersTimeout },
    },
  });
  // The protocol's parser reads the proxy's answer with the usual limits; a
  // 2xx hands the socket over (meta.upgrade) instead of reading a body.
  const connection = new Http1Connection(stream, {
    clock: options.clock,
    maxRequests: 1,
    timeouts: { headers: options.headersTimeout },
  });
  const details = { proxy: proxy.url, target: authority };
  let response: Awaited<ReturnType<Http1Connection['request']>>;
  try {
    response = await connection.request(request);
  } catch (error) {
    connection.destroy();
    stream.destroy();
    if (HttpClientError.is(error) && (error.code === 'ABORTED' || error.code === 'TIMEOUT')) {
      throw new HttpClientError(error.code, `${error.message} (waiting for proxy ${proxy.url})`, {
        requestSent: false,
        phase: error.code === 'TIMEOUT' ? 'connect' : undefined,
        cause: error.cause ?? error,
        details: { ...details, stage: 'proxy-connect' },
      });
    }
    throw proxyFailure(`Proxy ${proxy.url} failed to answer CONNECT ${authority}`, details, error);
  }
  const upgraded = response.meta.upgrade;
  if (response.status >= 200 && response.status < 300 && upgraded !== undefined) {
    const socket = upgraded.socket;
    // Bytes the proxy sent past its head belong to the origin (a server-first protocol).
    if (upgraded.head.length > 0) socket.unshift(Buffer.from(upgraded.head));
    return socket;
  }
  const challenges = response.headers.getAll('proxy-authenticate');
  await response.body.cancel().catch(() => undefined);
  connection.destroy();
  stream.destroy();
  const refusal =
    response.status === 407
      ? proxy.authorization === undefined
        ? 'proxy authentication required'
        : 'proxy credentials refused'
      : `status ${response.status}`;
  throw proxyFailure(`Proxy ${proxy.url} refused CONNECT ${authority}: ${refusal}`, {
    ...details,
    status: response.status,
    reason: response.reason,
    ...(challenges.length === 0 ? {} : { proxyAuthenticate: challenges }),
  });
}

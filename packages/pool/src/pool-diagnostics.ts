import diagnosticsChannel from 'node:diagnostics_channel';
import type { HttpClientError, HttpRequest, HttpResponse } from '@x/core';

/**
 * Observability without logging: events on `node:diagnostics_channel`.
 * Publishing costs one `hasSubscribers` check when nobody listens.
 *
 *   import { subscribe } from 'node:diagnostics_channel';
 *   subscribe('x:pool:connect', ({ origin, connectionId }) => ...);
 *
 * Channel objects are looked up by name in Node's process-wide registry;
 * these constants hold no state of ours.
 */
export const POOL_CHANNELS = Object.freeze({
  /** `{ origin, connectionId }`: a connection was established. */
  connect: 'x:pool:connect',
  /** `{ origin, error }`: a connection attempt failed. */
  connectError: 'x:pool:connect-error',
  /** `{ origin, request, connectionId, reused }`: a request is handed to a connection. */
  requestStart: 'x:pool:request-start',
  /** `{ origin, request, response }`: the response head arrived. */
  responseHeaders: 'x:pool:response-headers',
  /** `{ origin, request, response, error? }`: the response body ended (error when it failed or was cancelled). */
  bodyEnd: 'x:pool:body-end',
  /** `{ origin, request, error, resent }`: a request failed (resent: the pool is trying again). */
  requestError: 'x:pool:request-error',
  /** `{ origin, connectionId, error }`: a connection closed. */
  connectionClose: 'x:pool:connection-close',
});

const channels = {
  connect: diagnosticsChannel.channel(POOL_CHANNELS.connect),
  connectError: diagnosticsChannel.channel(POOL_CHANNELS.connectError),
  requestStart: diagnosticsChannel.channel(POOL_CHANNELS.requestStart),
  responseHeaders: diagnosticsChannel.channel(POOL_CHANNELS.responseHeaders),
  bodyEnd: diagnosticsChannel.channel(POOL_CHANNELS.bodyEnd),
  requestError: diagnosticsChannel.channel(POOL_CHANNELS.requestError),
  connectionClose: diagnosticsChannel.channel(POOL_CHANNELS.connectionClose),
};

type ChannelName = keyof typeof channels;

export interface PoolEventPayloads {
  connect: { origin: string; connectionId: number };
  connectError: { origin: string; error: unknown };
  requestStart: { origin: string; request: HttpRequest; connectionId: number; reused: boolean };
  responseHeaders: { origin: string; request: HttpRequest; response: HttpResponse };
  bodyEnd: { origin: string; request: HttpRequest; response: HttpResponse; error?: unknown };
  requestError: { origin: string; request: HttpRequest; error: HttpClientError | unknown; resent: boolean };
  connectionClose: { origin: string; connectionId: number; error: HttpClientError | null };
}

export function publish<Name extends ChannelName>(name: Name, payload: () => PoolEventPayloads[Name]): void {
  const channel = channels[name];
  if (channel.hasSubscribers) channel.publish(payload());
}

/** Whether anyone listens on a channel: hot paths check it before even building the payload closure. */
export function observed(name: ChannelName): boolean {
  return channels[name].hasSubscribers;
}

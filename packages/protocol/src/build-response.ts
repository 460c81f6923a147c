import type { Duplex } from 'node:stream';
import {
  type ConnectionInfo,
  getConnectionMeta,
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  ResponseBody,
  type ResponseMeta,
  type ResponseTimings,
} from '@x/core';
import type { HeaderList } from '@x/headers';
import type { ResponseHead } from './response-parser.js';
import type { SocketBodySource } from './socket-body-source.js';

/** What identifies the connection in `meta.connection`. */
export function connectionInfo(socket: Duplex, id: number, reused: boolean): ConnectionInfo {
  // net.Socket and tls.TLSSocket have these; an in-memory Duplex has none.
  const addresses = socket as Duplex & {
    localAddress?: string;
    localPort?: number;
    remoteAddress?: string;
    remotePort?: number;
  };
  return {
    id,
    reused,
    localAddress: addresses.localAddress,
    localPort: addresses.localPort,
    remoteAddress: addresses.remoteAddress,
    remotePort: addresses.remotePort,
  };
}

export interface BuildResponseInput {
  readonly request: HttpRequest;
  readonly head: ResponseHead;
  readonly source: SocketBodySource<unknown>;
  readonly trailers: Promise<HeaderList>;
  readonly headers: HeaderList;
  readonly socket: Duplex;
  readonly connection: ConnectionInfo;
  readonly timings: ResponseTimings;
  readonly bufferLimit: number | undefined;
  readonly extraMeta?: Partial<ResponseMeta> | undefined;
}

/** Assembles the HttpResponse for a parsed head; the connector's metadata is copied in first. */
export function buildResponse(input: BuildResponseInput): HttpResponse {
  const { request, head } = input;
  const headers = input.headers;
  const body = new ResponseBody(input.source, {
    contentType: headers.get('content-type'),
    length: head.framing.kind === 'length' ? head.framing.length : null,
    bufferLimit: input.bufferLimit,
    method: request.method,
    url: request.url,
  });
  const meta: ResponseMeta = {
    ...(getConnectionMeta(input.socket) ?? {}),
    ...(input.extraMeta ?? {}),
    timings: input.timings,
    connection: input.connection,
  };
  return {
    status: head.status,
    reason: head.reason,
    httpVersion: head.httpVersion,
    headers,
    url: request.url,
    body,
    trailers: input.trailers,
    meta,
  };
}

/** The error a consumer's cancel puts on the connection (its reason as `cause`). */
export function cancelledError(request: HttpRequest, reason: unknown): HttpClientError {
  return new HttpClientError('ABORTED', 'The response body was cancelled', {
    method: request.method,
    url: request.url,
    cause: reason,
  });
}

import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createResponse,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  toHttpClientError,
} from '@x/core';
import { httpServer } from '@x/test-support';

/**
 * A deliberately small HttpTransport over node:http, for testing the cache
 * against a real socket without depending on another layer package. It
 * sends one request per connection, so nothing is left open afterwards.
 */
export function nodeHttpTransport(): HttpTransport {
  const agent = new Agent({ keepAlive: false });
  return {
    request(request: HttpRequest): Promise<HttpResponse> {
      return new Promise((resolve, reject) => {
        const outgoing = httpRequest(
          request.url,
          { method: request.method, headers: request.headers.toObject(), agent, signal: request.signal },
          (incoming: IncomingMessage) => {
            const pairs: [string, string][] = [];
            for (let index = 0; index < incoming.rawHeaders.length; index += 2) {
              pairs.push([incoming.rawHeaders[index] as string, incoming.rawHeaders[index + 1] as string]);
            }
            resolve(
              createResponse({
                status: incoming.statusCode ?? 0,
                reason: incoming.statusMessage,
                headers: pairs,
                url: request.url,
                body: incoming as AsyncIterable<Uint8Array>,
                method: request.method,
              }),
            );
          },
        );
        outgoing.on('error', (error) =>
          reject(
            toHttpClientError(error, {
              code: 'CONNECT_FAILED',
              message: 'loopback request failed',
              method: request.method,
              url: request.url,
              requestSent: true,
            }),
          ),
        );
        (async () => {
          if (request.body !== null) for await (const chunk of request.body.open()) outgoing.write(chunk);
          outgoing.end();
        })().catch((error: unknown) => outgoing.destroy(error as Error));
      });
    },
    async close() {
      agent.destroy();
    },
  };
}

export interface LoopbackServer {
  readonly origin: string;
  /** Requests the server received: method, path and the conditional headers. */
  readonly received: { method: string; path: string; ifNoneMatch: string | undefined }[];
  /** Sockets still open on the server side (leak check). */
  openSockets(): number;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 with a per-test handler. */
export async function startLoopbackServer(
  handler: (request: IncomingMessage, response: ServerResponse, index: number) => void,
): Promise<LoopbackServer> {
  const received: LoopbackServer['received'] = [];
  const server = await httpServer((request, response) => {
    received.push({
      method: request.method ?? '',
      path: request.url ?? '',
      ifNoneMatch: request.headers['if-none-match'],
    });
    request.resume();
    handler(request, response, received.length);
  });
  return { origin: server.origin, received, openSockets: server.open, close: server.close };
}

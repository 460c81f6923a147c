import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import {
  abortError,
  type BodySource,
  type Clock,
  type ConnectionInfo,
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  ResponseBody,
  systemClock,
  type Timer,
} from '@x/core';
import { HeaderList } from '@x/headers';
import { fromNodeError } from './node-http-errors.js';

export interface NodeHttpTransportOptions {
  /** Extra CA (PEM) to trust for HTTPS. */
  ca?: string | undefined;
  clock?: Clock | undefined;
}

/**
 * A reference HttpTransport over node:http, kept small on purpose: it is what
 * a third party's adapter looks like, and it lets the suite's socket cases be
 * checked against a client that exists today. It claims only what node:http
 * gives (see REFERENCE_FEATURES in subjects/repository-subjects.ts).
 */
export function createNodeHttpTransport(options: NodeHttpTransportOptions = {}): HttpTransport {
  const clock = options.clock ?? systemClock();
  const agents = {
    http: new HttpAgent({ keepAlive: true }),
    https: new HttpsAgent({ keepAlive: true, ca: options.ca }),
  };
  let closed = false;
  const inFlight = new Set<ClientRequest>();
  // Connection identity for meta.connection: an id per socket and how many exchanges it carried.
  const sockets = new WeakMap<Socket, { id: number; exchanges: number }>();
  let nextSocketId = 1;

  function request(request: HttpRequest): Promise<HttpResponse> {
    const { method, url, signal } = request;
    if (closed) {
      return Promise.reject(
        new HttpClientError('TRANSPORT_CLOSED', 'The transport is closed', {
          method,
          url,
          requestSent: false,
        }),
      );
    }
    if (signal?.aborted) return Promise.reject(abortError(signal, { method, url, requestSent: false }));
    return new Promise<HttpResponse>((resolve, reject) => {
      let requestSent = false;
      let settled = false;
      const raw = request.headers.toRaw();
      if (!request.headers.has('host')) raw.unshift('Host', url.host);
      const body = request.body;
      if (body && body.length !== null && !request.headers.has('content-length'))
        raw.push('Content-Length', String(body.length));
      const https = url.protocol === 'https:';
      const outgoing = (https ? httpsRequest : httpRequest)({
        method,
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        headers: raw,
        agent: https ? agents.https : agents.http,
      });
      inFlight.add(outgoing);
      const startedAt = clock.monotonic();
      const total = request.options.timeout?.total;
      const upload = new AbortController();
      const fail = (error: HttpClientError) => {
        headTimer?.cancel();
        totalTimer?.cancel();
        upload.abort(error);
        if (settled) return;
        settled = true;
        inFlight.delete(outgoing);
        signal?.removeEventListener('abort', onAbort);
        outgoing.destroy();
        reject(error);
      };
      const onAbort = () => fail(abortError(signal as AbortSignal, { method, url, requestSent }));
      signal?.addEventListener('abort', onAbort, { once: true });
      const headTimeout = request.options.timeout?.headers;
      const headTimer: Timer | undefined =
        headTimeout === undefined
          ? undefined
          : clock.setTimer(
              () =>
                fail(
                  new HttpClientError('TIMEOUT', `No response head within ${headTimeout} ms`, {
                    method,
                    url,
                    requestSent,
                    phase: 'headers',
                  }),
                ),
              headTimeout,
            );
      const totalTimer: Timer | undefined =
        total === undefined
          ? undefined
          : clock.setTimer(
              () =>
                fail(
                  new HttpClientError('TIMEOUT', `No response head within the ${total} ms total`, {
                    method,
                    url,
                    requestSent,
                    phase: 'total',
                  }),
                ),
              total,
            );
      let connection: ConnectionInfo | undefined;
      outgoing.on('socket', (socket) => {
        let known = sockets.get(socket);
        if (!known) {
          known = { id: nextSocketId++, exchanges: 0 };
          sockets.set(socket, known);
        }
        connection = { id: known.id, reused: known.exchanges > 0 };
        known.exchanges++;
        const markSent = () => {
          requestSent = true;
        };
        if (socket.connecting) socket.once(https ? 'secureConnect' : 'connect', markSent);
        else markSent();
      });
      outgoing.on('error', (error) => fail(fromNodeError(error, { method, url, requestSent })));
      outgoing.on('response', (incoming) => {
        headTimer?.cancel();
        totalTimer?.cancel();
        if (settled) {
          incoming.destroy();
          return;
        }
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        try {
          const deadline = total === undefined ? undefined : startedAt + total;
          resolve(
            toResponse(request, incoming, () => inFlight.delete(outgoing), clock, connection, deadline),
          );
        } catch (error) {
          incoming.destroy();
          reject(fromNodeError(error, { method, url, requestSent: true }));
        }
      });
      writeBody(request, outgoing, upload.signal).catch((error: unknown) =>
        fail(fromNodeError(error, { method, url, requestSent })),
      );
    });
  }

  return {
    request,
    async close() {
      closed = true;
      for (const outgoing of inFlight) outgoing.destroy();
      inFlight.clear();
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/**
 * Writes the request body with backpressure. The iterator is driven by hand
 * so that a failure can call return() on it even while a next() is pending
 * (a stalled source): the contract says a transport never leaves a request
 * body half-read without cancelling it.
 */
async function writeBody(request: HttpRequest, outgoing: ClientRequest, stop: AbortSignal): Promise<void> {
  if (request.body === null) {
    outgoing.end();
    return;
  }
  const iterator = request.body.open()[Symbol.asyncIterator]();
  let finished = false;
  const cancel = () => {
    if (finished) return;
    finished = true;
    iterator.return?.().catch(() => undefined);
  };
  stop.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const step = await iterator.next();
      if (step.done || stop.aborted) break;
      if (!outgoing.write(step.value)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            outgoing.off('drain', done);
            outgoing.off('close', done);
            resolve();
          };
          outgoing.on('drain', done);
          outgoing.on('close', done);
        });
      }
    }
    finished = true;
    if (!stop.aborted) outgoing.end();
  } finally {
    stop.removeEventListener('abort', cancel);
    if (stop.aborted) cancel();
  }
}

function pairs(raw: string[]): Array<[string, string]> {
  const list: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) list.push([raw[i] as string, raw[i + 1] as string]);
  return list;
}

function toResponse(
  request: HttpRequest,
  incoming: IncomingMessage,
  release: () => void,
  clock: Clock,
  connection: ConnectionInfo | undefined,
  deadline: number | undefined,
): HttpResponse {
  const { method, url, signal } = request;
  const headers = new HeaderList(pairs(incoming.rawHeaders));
  let resolveTrailers!: (trailers: HeaderList) => void;
  let rejectTrailers!: (error: unknown) => void;
  const trailers = new Promise<HeaderList>((resolve, reject) => {
    resolveTrailers = resolve;
    rejectTrailers = reject;
  });
  trailers.catch(() => undefined);
  const iterator = incoming[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let failure: HttpClientError | undefined;
  let finished = false;
  const bodyIdle = request.options.timeout?.bodyIdle;
  const finish = (error?: HttpClientError) => {
    if (finished) return;
    finished = true;
    idleTimer?.cancel();
    totalTimer?.cancel();
    signal?.removeEventListener('abort', onAbort);
    release();
    if (error) {
      failure = error;
      rejectTrailers(error);
      incoming.destroy();
    } else {
      resolveTrailers(new HeaderList(pairs(incoming.rawTrailers)));
    }
  };
  const onAbort = () => finish(abortError(signal as AbortSignal, { method, url, requestSent: true }));
  signal?.addEventListener('abort', onAbort, { once: true });
  const idleTimer =
    bodyIdle === undefined
      ? undefined
      : clock.setTimer(
          () =>
            finish(
              new HttpClientError('TIMEOUT', `The body was idle for ${bodyIdle} ms`, {
                method,
                url,
                phase: 'body-idle',
              }),
            ),
          bodyIdle,
        );
  const totalTimer =
    deadline === undefined
      ? undefined
      : clock.setTimer(
          () =>
            finish(
              new HttpClientError('TIMEOUT', 'The total deadline passed while the body streamed', {
                method,
                url,
                phase: 'total',
              }),
            ),
          Math.max(0, deadline - clock.monotonic()),
        );
  const source: BodySource = {
    async read() {
      if (failure) throw failure;
      if (finished) return null;
      let step: IteratorResult<Buffer>;
      try {
        step = await Promise.race([iterator.next(), failed()]);
      } catch (error) {
        finish(fromNodeError(error, { method, url, requestSent: true }));
        throw failure;
      }
      if (failure) throw failure;
      if (step.done) {
        // Node reports a truncated body as a clean end with `complete` false.
        if (!incoming.complete) {
          finish(
            new HttpClientError('CONNECTION_CLOSED', 'The connection closed before the body ended', {
              method,
              url,
            }),
          );
          throw failure;
        }
        finish();
        return null;
      }
      idleTimer?.refresh();
      return new Uint8Array(step.value.buffer, step.value.byteOffset, step.value.byteLength);
    },
    cancel(reason) {
      finish(
        new HttpClientError('ABORTED', 'The response body was cancelled', { method, url, cause: reason }),
      );
    },
  };
  // A pending read must not outlive an abort or a timeout: race it against the failure.
  const failed = () =>
    new Promise<never>((_, reject) => {
      const check = () => (failure ? reject(failure) : undefined);
      trailers.then(undefined, check);
    });
  const bodyless = method === 'HEAD' || incoming.statusCode === 204 || incoming.statusCode === 304;
  if (bodyless) {
    incoming.resume();
    finish();
  }
  return {
    status: incoming.statusCode ?? 0,
    reason: incoming.statusMessage ?? '',
    httpVersion: incoming.httpVersion === '1.0' ? '1.0' : '1.1',
    headers,
    url,
    body: bodyless
      ? ResponseBody.empty()
      : new ResponseBody(source, { contentType: headers.get('content-type'), method, url }),
    trailers,
    meta: { connection },
  };
}

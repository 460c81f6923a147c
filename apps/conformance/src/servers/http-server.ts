import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { type RoutePlan, type RouteState, routeRequest } from './routes.js';
import { SocketTracker } from './socket-tracker.js';

export interface RouteServer {
  /** Base URL, e.g. http://127.0.0.1:41234/ */
  readonly url: URL;
  readonly tracker: SocketTracker;
  close(): Promise<void>;
}

export interface RouteServerOptions {
  readonly state: RouteState;
  /** PEM certificate and key: serve HTTPS instead of HTTP. */
  readonly tls?: { readonly cert: string; readonly key: string } | undefined;
}

/** Starts the route server on 127.0.0.1 with an ephemeral port. */
export async function startRouteServer(options: RouteServerOptions): Promise<RouteServer> {
  const tracker = new SocketTracker();
  const timers = new Set<NodeJS.Timeout>();
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    serve(request, response, options.state, tracker, timers).catch(() => {
      response.socket?.destroy();
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler)
    : createHttpServer(handler);
  // Count every accepted TCP connection, TLS included (a failed handshake still opened a socket).
  server.on('connection', (socket: Socket) => {
    tracker.add(socket);
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  // RFC 9110 §7.8: a request asking for the "echo-upper" protocol gets 101 and, from then on,
  // every byte it sends back upper-cased; any other upgrade is declined with a plain 426.
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => undefined);
    if ((request.headers.upgrade ?? '').toLowerCase() !== 'echo-upper') {
      socket.end('HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo-upper\r\n\r\n');
    const upper = (bytes: Buffer) => socket.write(bytes.toString('latin1').toUpperCase(), 'latin1');
    if (head.byteLength > 0) upper(head);
    socket.on('data', upper);
    socket.on('end', () => socket.end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/`),
    tracker,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        tracker.destroyAll();
        server.close(() => resolve());
      }),
  };
}

function pairs(raw: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  state: RouteState,
  tracker: SocketTracker,
  timers: Set<NodeJS.Timeout>,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const socket = request.socket;
  const headers: Array<[string, string]> = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    headers.push([request.rawHeaders[i] as string, request.rawHeaders[i + 1] as string]);
  }
  const plan = routeRequest(
    {
      method: request.method ?? 'GET',
      target: request.url ?? '/',
      headers,
      body: new Uint8Array(Buffer.concat(chunks)),
      chunked: /chunked/i.test(request.headers['transfer-encoding'] ?? ''),
      // Read after the body: node:http fills rawTrailers once the request has ended.
      trailers: pairs(request.rawTrailers),
      connectionId: tracker.idOf(socket),
    },
    state,
  );
  await write(plan, response, socket, timers);
}

async function write(
  plan: RoutePlan,
  response: ServerResponse,
  socket: Socket,
  timers: Set<NodeJS.Timeout>,
): Promise<void> {
  if (plan.hangBeforeHead) return; // Keep the socket open and silent until the client gives up.
  for (const interim of plan.interim) {
    if (interim.status === 103) response.writeEarlyHints(interim.headers);
    else if (interim.status === 100) response.writeContinue();
  }
  const flat: string[] = [];
  for (const [name, value] of plan.headers) flat.push(name, value);
  response.writeHead(plan.status, plan.reason, flat);
  for (const step of plan.body) {
    if (socket.destroyed) return;
    switch (step.kind) {
      case 'bytes':
        // Wait until each write is flushed: backpressure reaches the route, and a
        // later 'destroy' step cannot discard bytes still queued in Node.
        await flushed(response, step.bytes);
        break;
      case 'pause':
        await sleep(step.ms, timers);
        break;
      case 'hang':
        return;
      case 'destroy':
        socket.destroy();
        return;
    }
  }
  if (plan.trailers.length > 0) {
    const trailers: Array<[string, string]> = plan.trailers.map(([name, value]) => [name, value]);
    response.addTrailers(trailers);
  }
  response.end();
}

function flushed(response: ServerResponse, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('close', done);
      resolve();
    };
    response.on('close', done);
    response.write(bytes, done);
  });
}

function sleep(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });
}

import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';

/** One request the proxy received: the request target as sent, and its headers. */
export interface ProxySeen {
  readonly method: string;
  readonly target: string;
  readonly headers: http.IncomingHttpHeaders;
}

export interface TestProxy {
  readonly port: number;
  readonly url: string;
  readonly seen: ProxySeen[];
  openSockets(): number;
  close(): Promise<void>;
}

/**
 * A forward proxy for the tests on 127.0.0.1 (the approach of @x/proxy's
 * test proxy, cut down): absolute-form requests are forwarded with
 * Proxy-Authorization removed, CONNECT opens a byte tunnel. A request
 * without `requireAuthorization` gets 407. Every upstream connection goes
 * to 127.0.0.1, to the port the target names: nothing leaves loopback.
 */
export async function startForwardProxy(requireAuthorization?: string): Promise<TestProxy> {
  const seen: ProxySeen[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer();
  const authorized = (headers: http.IncomingHttpHeaders) =>
    requireAuthorization === undefined || headers['proxy-authorization'] === requireAuthorization;

  server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    seen.push({ method: request.method ?? '', target: request.url ?? '', headers: request.headers });
    if (!authorized(request.headers)) {
      response.writeHead(407, { 'proxy-authenticate': 'Basic realm="test-proxy"' }).end('auth');
      return;
    }
    let url: URL;
    try {
      url = new URL(request.url ?? '');
    } catch {
      response.writeHead(400).end('absolute-form required');
      return;
    }
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    delete headers.connection;
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: Number(url.port),
        method: request.method,
        path: url.pathname + url.search,
        headers,
        agent: false,
      },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });

  server.on('connect', (request: http.IncomingMessage, client: Socket, head: Buffer) => {
    seen.push({ method: request.method ?? '', target: request.url ?? '', headers: request.headers });
    client.on('error', () => undefined);
    client.on('end', () => client.destroy());
    if (!authorized(request.headers)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const port = Number((request.url ?? '').split(':').pop());
    const upstream = net.connect({ host: '127.0.0.1', port }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on('close', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    seen,
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

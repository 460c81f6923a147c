import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo, type Socket } from 'node:net';
import { closeServer } from './recording-origin.js';
import type { TestCertificate } from './x509-certificates.js';

/** One request the proxy received: the request target as sent, and its headers. */
export interface ProxySeen {
  readonly method: string;
  readonly target: string;
  readonly headers: http.IncomingHttpHeaders;
}

export interface ProxyBehaviour {
  /** The Proxy-Authorization value required; a missing or different one gets 407. */
  readonly requireAuthorization?: string;
  /** Answer every CONNECT with this status instead of tunnelling. */
  readonly connectStatus?: number;
  /** Close the client socket as soon as a CONNECT arrives. */
  readonly closeOnConnect?: boolean;
  /** Never answer a CONNECT (a stalled proxy). */
  readonly silentOnConnect?: boolean;
  /**
   * Names the proxy resolves to a loopback port (the tests' origins); other hosts get 502.
   * Without a map, a target on `127.0.0.1` or `localhost` goes to that port of 127.0.0.1, and any
   * other host gets 502.
   */
  readonly hosts?: Readonly<Record<string, number>>;
  /** Serve the proxy over TLS (an https:// proxy). */
  readonly tls?: TestCertificate;
}

export interface TestProxy {
  readonly port: number;
  /** `http://127.0.0.1:<port>` (https: for a TLS proxy). */
  readonly url: string;
  readonly seen: ProxySeen[];
  /** Client connections the proxy accepted. */
  connections(): number;
  openSockets(): number;
  close(): Promise<void>;
}

/**
 * A forward proxy written for the tests, on 127.0.0.1: absolute-form
 * requests are forwarded with Proxy-Authorization and hop-by-hop fields
 * removed; CONNECT opens a byte tunnel to a mapped loopback port. It never
 * connects anywhere but 127.0.0.1.
 */
export async function startForwardProxy(behaviour: ProxyBehaviour): Promise<TestProxy> {
  const seen: ProxySeen[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server =
    behaviour.tls === undefined
      ? http.createServer()
      : https.createServer({ cert: behaviour.tls.certPem, key: behaviour.tls.keyPem });

  const authorized = (headers: http.IncomingHttpHeaders) =>
    behaviour.requireAuthorization === undefined ||
    headers['proxy-authorization'] === behaviour.requireAuthorization;
  const hosts = behaviour.hosts;
  /** The loopback port a target's host (and port, as written in the target) goes to, if any. */
  const portFor = (host: string, portText: string | undefined): number | undefined => {
    if (hosts !== undefined) return Object.hasOwn(hosts, host) ? hosts[host] : undefined;
    return (host === '127.0.0.1' || host === 'localhost') && portText !== undefined && portText !== ''
      ? Number(portText)
      : undefined;
  };

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
    const port = portFor(url.hostname, url.port);
    if (port === undefined || url.protocol !== 'http:') {
      response.writeHead(502).end('unknown host');
      return;
    }
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    delete headers.connection;
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port,
        method: request.method,
        path: `${url.pathname}${url.search}`,
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
    // node:http servers allow half-open sockets: a client's FIN alone would leave this one open.
    client.on('end', () => client.destroy());
    if (behaviour.closeOnConnect === true) {
      client.destroy();
      return;
    }
    if (behaviour.silentOnConnect === true) return;
    if (!authorized(request.headers)) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test-proxy"\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    if (behaviour.connectStatus !== undefined) {
      client.end(`HTTP/1.1 ${behaviour.connectStatus} Nope\r\nContent-Length: 4\r\n\r\nnope`);
      return;
    }
    const [host = '', portText] = (request.url ?? '').split(/:(?=\d+$)/);
    const port = portFor(host.replace(/^\[|\]$/g, ''), portText);
    if (port === undefined || portText === undefined) {
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      return;
    }
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

  const onConnection = (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  server.on('connection', onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `${behaviour.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    seen,
    connections: () => connections,
    openSockets: () => sockets.size,
    close: () => closeServer(server, sockets),
  };
}

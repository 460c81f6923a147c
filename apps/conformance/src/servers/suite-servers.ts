import { type AddressInfo, connect, createServer } from 'node:net';
import type { SuiteCertificates } from './certificates.js';
import { startRouteServer } from './http-server.js';
import { startRawServer } from './raw-server.js';
import type { RouteState } from './routes.js';

/** Everything a case may talk to. All on 127.0.0.1, all started by the suite. */
export interface SuiteServers {
  /** The route server over plain HTTP. */
  readonly http: URL;
  /** The same routes over HTTPS, certificate signed by `certificates.ca`. */
  readonly https: URL;
  /** HTTPS with a self-signed certificate nobody trusts. */
  readonly untrustedHttps: URL;
  /** HTTPS with a certificate from the trusted CA for another host name. */
  readonly wrongHostHttps: URL;
  /** HTTPS with a certificate from the trusted CA, right names, another key (pin mismatch). */
  readonly otherKeyHttps: URL;
  /** The byte-level script server. */
  readonly raw: URL;
  /** A 127.0.0.1 port with no listener for the whole run (connection refused). */
  readonly refused: URL;
  /** A host under the reserved .invalid TLD (RFC 6761 §6.4): never resolves. */
  readonly unresolvable: URL;
  readonly certificates: SuiteCertificates;
  /** Hit counters of the route servers (shared by HTTP and HTTPS). */
  readonly state: RouteState;
  /** Server-side sockets currently open across all servers. */
  openSockets(): number;
  /** Connections accepted so far by the plain-HTTP route server. */
  httpConnections(): number;
  /** Destroys every open server-side socket (after a leak was reported). */
  destroySockets(): void;
  close(): Promise<void>;
}

export async function startSuiteServers(certificates: SuiteCertificates): Promise<SuiteServers> {
  const state: RouteState = { hits: new Map() };
  const started = await Promise.all([
    startRouteServer({ state }),
    startRouteServer({ state, tls: { cert: certificates.cert, key: certificates.key } }),
    startRouteServer({ state, tls: { cert: certificates.untrustedCert, key: certificates.untrustedKey } }),
    startRouteServer({ state, tls: { cert: certificates.wrongHostCert, key: certificates.wrongHostKey } }),
    startRouteServer({ state, tls: { cert: certificates.otherKeyCert, key: certificates.otherKeyKey } }),
    startRawServer(),
  ]);
  const [http, https, untrusted, wrongHost, otherKey, raw] = started;
  const refused = await refusedPort();
  return {
    http: http.url,
    https: https.url,
    untrustedHttps: untrusted.url,
    wrongHostHttps: wrongHost.url,
    otherKeyHttps: otherKey.url,
    raw: raw.url,
    refused: new URL(`http://127.0.0.1:${refused}/`),
    unresolvable: new URL('http://conformance-suite.invalid/'),
    certificates,
    state,
    openSockets: () => started.reduce((sum, server) => sum + server.tracker.open, 0),
    httpConnections: () => http.tracker.accepted,
    destroySockets: () => {
      for (const server of started) server.tracker.destroyAll();
    },
    close: async () => {
      await Promise.all(started.map((server) => server.close()));
    },
  };
}

/**
 * A 127.0.0.1 port that refuses connections for the whole run. A port freed
 * by closing an ephemeral listener is not: columns run in parallel, and the
 * next `listen(0)` in another worker can be handed the same port (seen in CI:
 * a retrying client reached another column's server). Ports below 1024 are
 * never handed out by `listen(0)`, so the first of these that refuses a probe
 * now stays refused; only if all answer do we fall back to a freed port.
 */
async function refusedPort(): Promise<number> {
  for (const port of [9, 1, 7, 13, 19, 37]) {
    if (await refuses(port)) return port;
  }
  return freePort();
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** Binds port 0, notes the port, closes it (the fallback: another process could take it meanwhile). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

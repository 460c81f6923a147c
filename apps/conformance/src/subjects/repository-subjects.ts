import type { HttpTransport, Layer } from '@x/core';
import type { CreateEnvironment, TransportUnderTest } from '../runner.js';
import {
  FETCH_FEATURES,
  HTTP1_FEATURES,
  MOCK_FEATURES,
  POOL_FEATURES,
  REFERENCE_FEATURES,
} from './feature-claims.js';
import { createMockRouteTransport } from './mock-route-transport.js';
import { createNodeHttpTransport } from './node-http-transport.js';

/*
 * Sibling packages are imported when a column creates its first transport,
 * not when this module loads: a package that is broken in the working tree
 * (another engineer mid-change) fails its own columns, visibly, instead of
 * every column of the run.
 */

async function schemeConnectorTrusting(ca: string) {
  const { schemeConnector, tcpConnector, tlsConnector } = await import('@x/protocol');
  return schemeConnector(tcpConnector(), tlsConnector({ ca }));
}

async function http1(environment: CreateEnvironment): Promise<HttpTransport> {
  const { createHttp1Transport } = await import('@x/protocol');
  return createHttp1Transport({ connector: await schemeConnectorTrusting(environment.ca) });
}

async function pool(environment: CreateEnvironment): Promise<HttpTransport> {
  const { createPool } = await import('@x/pool');
  return createPool({ connector: await schemeConnectorTrusting(environment.ca) });
}

async function pipelinedPool(environment: CreateEnvironment): Promise<HttpTransport> {
  const { createPool } = await import('@x/pool');
  return createPool({
    connector: await schemeConnectorTrusting(environment.ca),
    connectionsPerOrigin: 1,
    pipelining: 3,
  });
}

async function http1WithPolicy(environment: CreateEnvironment): Promise<HttpTransport> {
  const [{ createHttp1Transport, schemeConnector, tcpConnector }, { tlsConnector }] = await Promise.all([
    import('@x/protocol'),
    import('@x/tls-verify'),
  ]);
  const connector = tlsConnector({
    trust: { mode: 'replace', ca: environment.ca },
    pins: [{ host: '127.0.0.1', pins: [environment.pin] }],
  });
  return createHttp1Transport({ connector: schemeConnector(tcpConnector(), connector) });
}

/**
 * The client's default stack with `proxy: 'socks5://…'`: every byte, http:
 * and https:, goes through a SOCKS5 tunnel, so the whole suite also checks
 * @x/proxy's SOCKS5 connector (the tunnel must change nothing the cases
 * see). The SOCKS5 server is the transport's own, closed with it.
 */
async function clientThroughSocks5({ ca }: CreateEnvironment): Promise<HttpTransport> {
  const [{ buildDefaultStack }, { startSocks5Server }] = await Promise.all([
    import('@x/client'),
    import('@x/test-support/socks5'),
  ]);
  const socks = await startSocks5Server();
  const { transport } = buildDefaultStack({
    tls: { trust: { mode: 'replace', ca } },
    cache: {},
    // socks5:// (not socks5h://): the client resolves names, as the test server resolves none.
    proxy: `socks5://127.0.0.1:${socks.port}`,
  });
  return {
    request: (request) => transport.request(request),
    close: async () => {
      try {
        await transport.close();
      } finally {
        await socks.close();
      }
    },
  };
}

async function mock(environment: CreateEnvironment): Promise<HttpTransport> {
  return createMockRouteTransport(environment.servers.state);
}

/**
 * @x/decode and @x/retry are reached through @x/client's `defaultLayers`
 * (their default options): this app does not depend on them directly, and
 * a new dependency needs a lockfile update.
 */
async function clientLayer(name: 'decode' | 'retry'): Promise<Layer> {
  const { defaultLayers } = await import('@x/client');
  const entry = defaultLayers({}, undefined).find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`@x/client has no default layer named ${name}`);
  return entry.layer;
}

interface Base {
  readonly name: string;
  readonly description: string;
  readonly features: TransportUnderTest['features'];
  readonly create: (environment: CreateEnvironment) => Promise<HttpTransport>;
}

interface LayerEntry {
  readonly name: string;
  readonly description: string;
  readonly features: TransportUnderTest['features'];
  readonly layer: () => Promise<Layer>;
}

const BASES: readonly Base[] = [
  {
    name: 'mock',
    description: '@x/core createMockTransport answering the suite routes in memory',
    features: MOCK_FEATURES,
    create: mock,
  },
  {
    name: 'http1',
    description: '@x/protocol createHttp1Transport over tcpConnector / tlsConnector({ ca })',
    features: HTTP1_FEATURES,
    create: http1,
  },
  {
    name: 'pool',
    description: '@x/pool createPool over tcpConnector / tlsConnector({ ca }), defaults',
    features: POOL_FEATURES,
    create: pool,
  },
];

const LAYERS: readonly LayerEntry[] = [
  {
    name: 'redirect',
    description: '@x/redirect redirects() with defaults',
    features: ['redirects'],
    layer: async () => (await import('@x/redirect')).redirects(),
  },
  {
    name: 'cache',
    description: '@x/cache cache() with its default memory store',
    features: ['cache'],
    layer: async () => (await import('@x/cache')).cache(),
  },
  {
    name: 'decode',
    description: "@x/decode decoding() with defaults (through @x/client's defaultLayers)",
    features: ['decoding'],
    layer: () => clientLayer('decode'),
  },
  {
    name: 'retry',
    description: "@x/retry retries() with defaults (through @x/client's defaultLayers)",
    features: ['retries'],
    layer: () => clientLayer('retry'),
  },
];

/**
 * The transports and stacks of this repository, one matrix column each:
 * every base alone, every layer over every base, and the reference and
 * policy variants. New packages are added here (see README "Adding a column").
 */
export function repositorySubjects(): TransportUnderTest[] {
  const subjects: TransportUnderTest[] = [];
  for (const base of BASES) {
    subjects.push(base);
    for (const layer of LAYERS) {
      subjects.push({
        name: `${base.name}+${layer.name}`,
        description: `${layer.description} over ${base.name}`,
        features: [...base.features, ...layer.features],
        create: async (environment) => (await layer.layer())(await base.create(environment)),
      });
    }
  }
  subjects.push(
    {
      name: 'client',
      description:
        '@x/client buildDefaultStack({ tls: trust the CA, cache: {} }): redirect → retry → cache → decode → pool',
      features: [...POOL_FEATURES, 'tls-verification', 'redirects', 'cache', 'decoding', 'retries'],
      create: async ({ ca }) => {
        const { buildDefaultStack } = await import('@x/client');
        return buildDefaultStack({ tls: { trust: { mode: 'replace', ca } }, cache: {} }).transport;
      },
    },
    {
      name: 'client+cookies',
      description:
        '@x/client buildDefaultStack as in "client", with cookies: true (a fresh @x/cookies jar per transport)',
      features: [
        ...POOL_FEATURES,
        'tls-verification',
        'redirects',
        'cache',
        'decoding',
        'retries',
        'cookies',
      ],
      create: async ({ ca }) => {
        const { buildDefaultStack } = await import('@x/client');
        return buildDefaultStack({ tls: { trust: { mode: 'replace', ca } }, cache: {}, cookies: true })
          .transport;
      },
    },
    {
      name: 'client+socks5',
      description:
        '@x/client buildDefaultStack as in "client", every connection through a SOCKS5 tunnel (proxy: socks5://, names resolved by the client; a loopback SOCKS5 server of @x/test-support per transport)',
      // The proxy dials the origins, so a refused connection is its PROXY_FAILED, not CONNECT_FAILED.
      features: [
        ...POOL_FEATURES.filter((feature) => feature !== 'direct-connect'),
        'tls-verification',
        'redirects',
        'cache',
        'decoding',
        'retries',
      ],
      create: clientThroughSocks5,
    },
    {
      name: 'pool-pipelined',
      description: 'createPool({ connectionsPerOrigin: 1, pipelining: 3 })',
      features: [...POOL_FEATURES, 'pipelining'],
      create: pipelinedPool,
    },
    {
      name: 'http1+tls-verify',
      description:
        'createHttp1Transport with @x/tls-verify tlsConnector({ trust: { mode: "replace", ca }, pins: 127.0.0.1 })',
      features: [...HTTP1_FEATURES, 'tls-policy'],
      create: http1WithPolicy,
    },
    {
      name: 'node-http',
      description: 'reference adapter over node:http (src/subjects/node-http-transport.ts), for comparison',
      features: REFERENCE_FEATURES,
      create: ({ ca }) => createNodeHttpTransport({ ca }),
    },
    {
      name: 'fetch',
      description:
        "@x/client fromFetch over undici's fetch with an Agent of its own, a third-party transport",
      features: FETCH_FEATURES,
      create: async () => {
        const { fromFetch } = await import('@x/client');
        const { Agent, fetch } = await import('undici');
        // A dispatcher of its own, so close() can free every socket (the global one is process-wide).
        const agent = new Agent();
        const fetchWithAgent = (input: string | URL | Request, init?: RequestInit) =>
          fetch(input as string, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;
        return fromFetch(fetchWithAgent, { close: () => agent.close() });
      },
    },
  );
  return subjects;
}

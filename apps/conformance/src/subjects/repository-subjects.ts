import { cache } from '@x/cache';
import { buildDefaultStack, defaultLayers, fromFetch } from '@x/client';
import type { HttpTransport, Layer } from '@x/core';
import { createPool } from '@x/pool';
import { createHttp1Transport, schemeConnector, tcpConnector, tlsConnector } from '@x/protocol';
import { redirects } from '@x/redirect';
import { tlsConnector as policyTlsConnector } from '@x/tls-verify';
import type { Feature } from '../features.js';
import type { CreateEnvironment, TransportUnderTest } from '../runner.js';
import { createMockRouteTransport } from './mock-route-transport.js';
import { createNodeHttpTransport } from './node-http-transport.js';

/**
 * What core's in-memory mock can honestly claim: it answers the suite's
 * routes from memory (no socket, so no wire framing, interim responses,
 * socket errors, TLS or reuse), streams bodies from async iterables and
 * honours the request signal.
 */
export const MOCK_FEATURES: readonly Feature[] = [
  'http',
  'https',
  'streamed-request-body',
  'streamed-response-body',
  'trailers',
  'abort',
];

/**
 * What @x/protocol's createHttp1Transport claims today: HTTP/1.1 on a fresh
 * socket per request (Connection: close), so no reuse and no pipelining.
 */
export const HTTP1_FEATURES: readonly Feature[] = [
  'http',
  'https',
  'wire',
  'streamed-request-body',
  'streamed-response-body',
  'trailers',
  'interim-responses',
  'abort',
  'timeouts',
  'socket-errors',
  'strict-framing',
  'tls-verification',
];

/**
 * What @x/client's fromFetch over Node's global fetch (undici) can claim:
 * no custom CA (so no https here), no trailers or 1xx (fetch hides them),
 * no wire control.
 */
export const FETCH_FEATURES: readonly Feature[] = [
  'http',
  'streamed-request-body',
  'streamed-response-body',
  'abort',
];

/** What node:http gives the reference adapter (timeouts implemented in the adapter). */
export const REFERENCE_FEATURES: readonly Feature[] = [
  'http',
  'https',
  'wire',
  'streamed-request-body',
  'streamed-response-body',
  'trailers',
  'interim-responses',
  'abort',
  'timeouts',
  'socket-errors',
  'tls-verification',
  'connection-reuse',
];

function http1(environment: CreateEnvironment): HttpTransport {
  return createHttp1Transport({
    connector: schemeConnector(tcpConnector(), tlsConnector({ ca: environment.ca })),
  });
}

/** What @x/pool claims: the http1 contract plus keep-alive reuse. */
export const POOL_FEATURES: readonly Feature[] = [...HTTP1_FEATURES, 'connection-reuse'];

function pool(environment: CreateEnvironment): HttpTransport {
  return createPool({ connector: schemeConnector(tcpConnector(), tlsConnector({ ca: environment.ca })) });
}

function pipelinedPool(environment: CreateEnvironment): HttpTransport {
  return createPool({
    connector: schemeConnector(tcpConnector(), tlsConnector({ ca: environment.ca })),
    connectionsPerOrigin: 1,
    pipelining: 3,
  });
}

function http1WithPolicy(environment: CreateEnvironment): HttpTransport {
  const connector = policyTlsConnector({
    trust: { mode: 'replace', ca: environment.ca },
    pins: [{ host: '127.0.0.1', pins: [environment.pin] }],
  });
  return createHttp1Transport({ connector: schemeConnector(tcpConnector(), connector) });
}

function mock(environment: CreateEnvironment): HttpTransport {
  return createMockRouteTransport(environment.servers.state);
}

interface Base {
  readonly name: string;
  readonly description: string;
  readonly features: readonly Feature[];
  readonly create: (environment: CreateEnvironment) => HttpTransport;
}

interface LayerEntry {
  readonly name: string;
  readonly description: string;
  readonly features: readonly Feature[];
  readonly layer: () => Layer;
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

/**
 * @x/decode and @x/retry are reached through @x/client's `defaultLayers`
 * (their default options): this app does not depend on them directly, and
 * a new dependency needs a lockfile update.
 */
function clientLayer(name: 'decode' | 'retry'): Layer {
  const entry = defaultLayers({}, undefined).find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`@x/client has no default layer named ${name}`);
  return entry.layer;
}

const LAYERS: readonly LayerEntry[] = [
  {
    name: 'redirect',
    description: '@x/redirect redirects() with defaults',
    features: ['redirects'],
    layer: () => redirects(),
  },
  {
    name: 'cache',
    description: '@x/cache cache() with its default memory store',
    features: ['cache'],
    layer: () => cache(),
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
        create: (environment) => layer.layer()(base.create(environment)),
      });
    }
  }
  subjects.push(
    {
      name: 'client',
      description:
        '@x/client buildDefaultStack({ tls: trust the CA, cache: {} }): redirect → retry → cache → decode → pool',
      features: [...POOL_FEATURES, 'tls-verification', 'redirects', 'cache', 'decoding', 'retries'],
      create: ({ ca }) => buildDefaultStack({ tls: { trust: { mode: 'replace', ca } }, cache: {} }).transport,
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
      description: '@x/client fromFetch over Node global fetch (undici), a third-party transport',
      features: FETCH_FEATURES,
      create: () => fromFetch(globalThis.fetch),
    },
  );
  return subjects;
}

import type { Feature } from '../features.js';
import type { TransportUnderTest } from '../runner.js';
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

/**
 * The transports and stacks of this repository, one matrix column each.
 * New columns are added here as packages land (see README "Adding a column").
 */
export function repositorySubjects(): TransportUnderTest[] {
  return [
    {
      name: 'mock',
      description: '@x/core createMockTransport answering the suite routes in memory',
      features: MOCK_FEATURES,
      create: ({ servers }) => createMockRouteTransport(servers.state),
    },
    {
      name: 'node-http',
      description: 'reference adapter over node:http (src/subjects/node-http-transport.ts), for comparison',
      features: REFERENCE_FEATURES,
      create: ({ ca }) => createNodeHttpTransport({ ca }),
    },
  ];
}

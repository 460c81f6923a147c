import { HttpClientError, type HttpRequest } from '@x/core';
import type { CacheScope } from './cache-key.js';
import { SHARED_SCOPE } from './cache-key.js';
import type { CacheMode } from './cache-strategy.js';

const MODES: ReadonlySet<string> = new Set([
  'default',
  'no-store',
  'reload',
  'no-cache',
  'force-cache',
  'only-if-cached',
]);

export interface ResolvedRequestCache {
  readonly mode: CacheMode;
  readonly scope: CacheScope;
}

/** What a request without cache options gets in a shared layer and in a private one without partitionKey. */
const DEFAULT_SHARED: ResolvedRequestCache = Object.freeze({ mode: 'default', scope: SHARED_SCOPE });
const DEFAULT_PRIVATE: ResolvedRequestCache = Object.freeze({
  mode: 'default',
  scope: Object.freeze({ kind: 'private', partition: '' }),
});

/**
 * Reads and checks `request.options.cache` (own properties only, SECURITY.md
 * rule 4) and decides the scope: a private layer keeps everything in the
 * request's partition (one user when none is given); a shared layer serves
 * a request in private mode only inside an explicit partition, since
 * private responses without one would be shared by everybody.
 */
export function resolveRequestCache(
  request: HttpRequest,
  layerShared: boolean,
  layerPartitionKey: ((request: HttpRequest) => string | undefined) | undefined,
): ResolvedRequestCache {
  // Most requests carry no cache options: skip the checks below and the objects they make.
  if (layerPartitionKey === undefined && !Object.hasOwn(request.options, 'cache')) {
    return layerShared ? DEFAULT_SHARED : DEFAULT_PRIVATE;
  }
  const given = ownValue(request.options, 'cache');
  const invalid = (message: string) =>
    new HttpClientError('INVALID_REQUEST', message, {
      method: request.method,
      url: request.url,
      requestSent: false,
    });
  if (given !== undefined && (typeof given !== 'object' || given === null)) {
    throw invalid('options.cache must be an object');
  }
  const settings = (given ?? {}) as Record<string, unknown>;
  const mode = ownValue(settings, 'mode') ?? 'default';
  if (typeof mode !== 'string' || !MODES.has(mode))
    throw invalid(`Unknown cache mode ${JSON.stringify(mode)}`);
  const privateMode = ownValue(settings, 'private');
  if (privateMode !== undefined && typeof privateMode !== 'boolean')
    throw invalid('options.cache.private must be a boolean');
  const requested = ownValue(settings, 'partitionKey');
  if (requested !== undefined && typeof requested !== 'string') {
    throw invalid('options.cache.partitionKey must be a string');
  }
  let partition = requested;
  if (partition === undefined && layerPartitionKey !== undefined) {
    let computed: unknown;
    try {
      computed = layerPartitionKey(request);
    } catch (cause) {
      throw new HttpClientError('INVALID_REQUEST', 'The partitionKey option threw', {
        method: request.method,
        url: request.url,
        requestSent: false,
        cause,
      });
    }
    if (computed !== undefined && typeof computed !== 'string')
      throw invalid('partitionKey() must return a string');
    partition = computed;
  }
  if (!layerShared)
    return { mode: mode as CacheMode, scope: { kind: 'private', partition: partition ?? '' } };
  if (privateMode !== true) return { mode: mode as CacheMode, scope: SHARED_SCOPE };
  if (partition === undefined || partition === '') {
    throw invalid('Private cache mode in a shared cache needs a partitionKey (per user or tenant)');
  }
  return { mode: mode as CacheMode, scope: { kind: 'private', partition } };
}

function ownValue(record: object, name: string): unknown {
  return Object.hasOwn(record, name) ? (record as Record<string, unknown>)[name] : undefined;
}

export {
  type CacheScope,
  matchesVariant,
  primaryKey,
  SHARED_SCOPE,
  selectVariants,
  variantKey,
  varyValues,
} from './cache-key.js';
export {
  CACHE_DEFAULTS,
  type CacheForward,
  type CacheMeta,
  type CacheOptions,
  type RequestCacheOptions,
} from './cache-options.js';
export { cacheStatusMember, forwardReason, withCacheStatus } from './cache-status.js';
export type { CacheBodyWriter, CacheEntry, CacheStore, StoredResponseHead } from './cache-store.js';
export {
  type CacheDecision,
  type CacheMode,
  type Candidate,
  decide,
  isServerError,
  requestDirectives,
  type StaleReason,
  type StrategyInput,
  staleIfErrorAllows,
} from './cache-strategy.js';
export {
  currentAge,
  dateValue,
  type FreshnessLifetime,
  type FreshnessSource,
  type FreshnessState,
  freshnessLifetime,
  freshnessState,
  HEURISTIC_FRACTION,
  HEURISTICALLY_CACHEABLE,
  initialAge,
  type ResponseTimes,
  type StoredFreshness,
  storedFreshness,
} from './freshness.js';
export { invalidationTargets, isSafeMethod } from './invalidation.js';
export { type MultipartBody, multipartBody, multipartBoundary } from './multipart-body.js';
export { type RangeAnswer, rangeAnswer } from './range.js';
export { answerConditional, conditionalHeaders, select304Targets } from './revalidation.js';
export { type Storability, type StorabilityInput, storability } from './storability.js';
export { storedFieldLines, storedFields, updateStoredFields } from './stored-fields.js';
export { decodeEntry, type EncodedEntry, encodeEntry } from './stores/entry-codec.js';
export { createFsStore, FS_STORE_DEFAULTS, type FsStoreOptions } from './stores/fs-store.js';
export { createMemoryStore, MEMORY_STORE_DEFAULTS, type MemoryStoreOptions } from './stores/memory-store.js';
export { type CacheTransport, cache, withCache } from './with-cache.js';

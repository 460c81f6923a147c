export { connectorKeyOf, defaultConnector } from './connection-factory.js';
export { type OriginStats, type Pool, type PoolStats, createPool } from './pool.js';
export { POOL_CHANNELS, type PoolEventPayloads } from './pool-diagnostics.js';
export { defaultPipelinable, IDEMPOTENT_METHODS, POOL_DEFAULTS, type PoolOptions } from './pool-options.js';
export { decideStaleRetry, type StaleRetryDecision } from './stale-retry.js';

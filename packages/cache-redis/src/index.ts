export {
  createRedisStore,
  REDIS_STORE_DEFAULTS,
  type RedisCommandClient,
  type RedisStoreOptions,
} from './redis-store.js';

export { applyCookieLimits, MAX_ATTRIBUTE_VALUE_BYTES, MAX_NAME_VALUE_BYTES } from './cookie-limits.js';
export {
  Cookie,
  CookieJar,
  type CookieJarOptions,
  createCookieJar,
  type SerializedCookieJar,
  type Store,
} from './cookie-jar.js';
export { cookiesFor, MAX_COOKIE_LIFETIME_MS, type StoreResult, storeSetCookies } from './cookie-exchange.js';
export type { CookieMeta } from './cookie-meta.js';
export { cookieStoreError } from './cookie-store-error.js';
export { loadCookieJar, saveCookieJar } from './file-store.js';
export { type CookieLayerOptions, cookies, withCookies } from './with-cookies.js';

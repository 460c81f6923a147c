export { type LocationTarget, redirectTarget, resolveLocation } from './location.js';
export { isRedirectStatus, type MethodRewrite, REDIRECT_STATUSES, rewriteMethod } from './method-rules.js';
export { ALWAYS_SENSITIVE, DEFAULT_MAX_REDIRECTS } from './settings.js';
export { BODY_HEADERS } from './strip-headers.js';
export type {
  RedirectHook,
  RedirectHop,
  RedirectMode,
  RedirectOptions,
  RedirectRecord,
  RedirectSettings,
  RedirectVerdict,
} from './types.js';
export { redirects, withRedirects } from './with-redirects.js';

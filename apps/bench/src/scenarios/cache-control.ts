import { type CacheControl, parseCacheControl } from '@x/headers';
import { CACHE_CONTROL_CHECK, CACHE_CONTROL_SAMPLES } from '../micro/header-samples.js';
import { undiciParseCacheControl } from '../micro/undici-internals.js';
import type { MicroContender } from '../micro-contender.js';
import { type MicroScenario, microPlan } from '../scenario.js';

const undici: MicroContender = {
  name: 'undici-cache-control',
  description: 'undici internal parseCacheControlHeader (lib/util/cache.js, used by its cache interceptor)',
  prepare() {
    return () => {
      let directives = 0;
      for (const [value] of CACHE_CONTROL_SAMPLES)
        directives += Object.keys(undiciParseCacheControl(value)).length;
      return directives;
    };
  },
};

/** Counts the directives a parsed value holds, to compare with undici's directive count. */
function directiveCount(parsed: CacheControl): number {
  const present = [
    parsed.maxAge,
    parsed.sMaxAge,
    parsed.maxStale,
    parsed.minFresh,
    parsed.staleWhileRevalidate,
    parsed.staleIfError,
  ].filter((value) => value !== undefined).length;
  const flags = [
    parsed.noCache,
    parsed.private,
    parsed.noStore,
    parsed.noTransform,
    parsed.onlyIfCached,
    parsed.mustRevalidate,
    parsed.proxyRevalidate,
    parsed.mustUnderstand,
    parsed.public,
    parsed.immutable,
  ].filter((value) => value !== false).length;
  return present + flags + parsed.extensions.size;
}

const ours: MicroContender = {
  name: 'x-headers',
  description: '@x/headers parseCacheControl (typed result, RFC 9111 §5.2 grammar)',
  prepare() {
    return () => {
      let directives = 0;
      for (const [value] of CACHE_CONTROL_SAMPLES) directives += directiveCount(parseCacheControl(value));
      return directives;
    };
  },
};

export const cacheControl: MicroScenario = {
  kind: 'micro',
  name: 'cache-control',
  title: 'Parse 4 Cache-Control values (RFC 9111 §5.2)',
  notes:
    'No sockets. http-cache-semantics exposes no parser on its own (only a whole CachePolicy), so undici’s ' +
    'internal parser is the reference.',
  baseline: 'undici-cache-control',
  expectedCheck: CACHE_CONTROL_CHECK,
  contenders: async () => [undici, ours],
  plan: microPlan,
};

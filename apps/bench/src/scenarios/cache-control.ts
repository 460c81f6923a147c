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

export const cacheControl: MicroScenario = {
  kind: 'micro',
  name: 'cache-control',
  title: 'Parse 4 Cache-Control values (RFC 9111 §5.2)',
  notes:
    'No sockets. http-cache-semantics exposes no parser on its own (only a whole CachePolicy), so undici’s ' +
    'internal parser is the reference.',
  baseline: 'undici-cache-control',
  expectedCheck: CACHE_CONTROL_CHECK,
  contenders: async () => [undici],
  plan: microPlan,
};

import { parseMediaType } from '@x/headers';
import { CONTENT_TYPE_CHECK, CONTENT_TYPE_SAMPLES } from '../micro/header-samples.js';
import { undiciParseMimeType } from '../micro/undici-internals.js';
import type { MicroContender } from '../micro-contender.js';
import { type MicroScenario, microPlan } from '../scenario.js';

const undici: MicroContender = {
  name: 'undici-mime-type',
  description: 'undici internal parseMIMEType (lib/web/fetch/data-url.js, WHATWG MIME Sniffing algorithm)',
  prepare() {
    return () => {
      let parameters = 0;
      for (const [value] of CONTENT_TYPE_SAMPLES) {
        const parsed = undiciParseMimeType(value);
        parameters += parsed === 'failure' ? -100 : parsed.parameters.size;
      }
      return parameters;
    };
  },
};

const ours: MicroContender = {
  name: 'x-headers',
  description: '@x/headers parseMediaType (RFC 9110 §8.3.1, Parsed<MediaType>)',
  prepare() {
    return () => {
      let parameters = 0;
      for (const [value] of CONTENT_TYPE_SAMPLES) {
        const parsed = parseMediaType(value);
        parameters += parsed.ok ? parsed.value.parameters.size : -100;
      }
      return parameters;
    };
  },
};

export const contentType: MicroScenario = {
  kind: 'micro',
  name: 'content-type',
  title: 'Parse 4 Content-Type values (RFC 9110 §8.3)',
  notes: 'No sockets. undici’s internal WHATWG MIME type parser is the reference.',
  baseline: 'undici-mime-type',
  expectedCheck: CONTENT_TYPE_CHECK,
  contenders: async () => [undici, ours],
  plan: microPlan,
};

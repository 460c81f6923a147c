import { createLlhttpParser } from '../micro/llhttp-parser.js';
import { PARSE_CHECK, parseFixture } from '../micro/parse-fixture.js';
import { createXResponseParser } from '../micro/x-response-parser.js';
import type { MicroContender } from '../micro-contender.js';
import { type MicroScenario, microPlan } from '../scenario.js';

const llhttp: MicroContender = {
  name: 'undici-llhttp',
  description: 'llhttp wasm from undici (SIMD build), driven directly; header slices turned into strings',
  prepare() {
    const parse = createLlhttpParser();
    const bytes = parseFixture();
    return () => {
      const result = parse(bytes);
      return result.complete ? result.headers.length / 2 + result.bodyBytes : -1;
    };
  },
};

const ours: MicroContender = {
  name: 'x-response-parser',
  description: '@x/protocol ResponseParser (incremental, strict RFC 9112), reset + execute per response',
  prepare() {
    const parse = createXResponseParser();
    const bytes = parseFixture();
    return () => {
      const result = parse(bytes);
      return result.complete && result.head !== null
        ? result.head.rawHeaders.length / 2 + result.bodyBytes
        : -1;
    };
  },
};

export const parseResponse: MicroScenario = {
  kind: 'micro',
  name: 'parse-response',
  title: 'Parse one canned response (status line, 12 fields, 1 KiB body) from one buffer',
  notes:
    'No sockets. undici exposes no parser, so its llhttp wasm is driven directly (see src/micro/llhttp-parser.ts): ' +
    'a lower bound for undici’s parsing cost.',
  baseline: 'undici-llhttp',
  expectedCheck: PARSE_CHECK,
  contenders: async () => [llhttp, ours],
  plan: microPlan,
};

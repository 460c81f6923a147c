import { createLlhttpParser } from '../micro/llhttp-parser.js';
import { PARSE_CHECK, parseFixture } from '../micro/parse-fixture.js';
import { createXResponseParser } from '../micro/x-response-parser.js';
import type { MicroContender } from '../micro-contender.js';
import { type MicroScenario, microPlan } from '../scenario.js';
import { chunkedResponse } from '../servers/stream-responses.js';

/**
 * Both parsers on the same bytes. The check is fields (trailers included)
 * plus body bytes, so a parser that skipped anything fails the run.
 */
function parserContenders(fixture: () => Uint8Array): MicroContender[] {
  return [
    {
      name: 'undici-llhttp',
      description: 'llhttp wasm from undici (SIMD build), driven directly; header slices turned into strings',
      prepare() {
        const parse = createLlhttpParser();
        const bytes = fixture();
        return () => {
          const result = parse(bytes);
          // llhttp reports trailer fields through the same header callbacks.
          return result.complete ? result.headers.length / 2 + result.bodyBytes : -1;
        };
      },
    },
    {
      name: 'x-response-parser',
      description: '@x/protocol ResponseParser (incremental, strict RFC 9112), reset + execute per response',
      prepare() {
        const parse = createXResponseParser();
        const bytes = fixture();
        return () => {
          const result = parse(bytes);
          return result.complete && result.head !== null
            ? (result.head.rawHeaders.length + result.trailers.length) / 2 + result.bodyBytes
            : -1;
        };
      },
    },
  ];
}

const NOTES =
  'No sockets. undici exposes no parser, so its llhttp wasm is driven directly (src/micro/llhttp-parser.ts): ' +
  'a lower bound for undici’s parsing cost.';

export const parseResponse: MicroScenario = {
  kind: 'micro',
  name: 'parse-response',
  title: 'Parse one canned response (status line, 12 fields, 1 KiB body) from one buffer',
  notes: NOTES,
  baseline: 'undici-llhttp',
  expectedCheck: PARSE_CHECK,
  contenders: async () => parserContenders(parseFixture),
  plan: microPlan,
};

const CHUNKED = chunkedResponse(64 * 1024, 4 * 1024);

export const parseChunked: MicroScenario = {
  kind: 'micro',
  name: 'parse-chunked',
  title: 'Parse one canned chunked response (5 fields, 16 chunks of 4 KiB, 2 trailer fields) from one buffer',
  notes: `${NOTES} Exercises chunk-size lines and trailers (RFC 9112 §7.1).`,
  baseline: 'undici-llhttp',
  // 5 head fields + 2 trailer fields + the body.
  expectedCheck: 5 + 2 + CHUNKED.bodyBytes,
  contenders: async () => parserContenders(() => CHUNKED.bytes),
  plan: microPlan,
};

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseAccept,
  parseAcceptEncoding,
  parseAcceptLanguage,
  parseAcceptRanges,
  parseAge,
  parseCacheControl,
  parseContentRange,
  parseEntityTag,
  parseEntityTagCondition,
  parseExpires,
  parseHttpDate,
  parseIfRange,
  parseKeepAlive,
  parseMediaType,
  parseRange,
  parseRetryAfter,
  parseTokenList,
  parseVary,
} from '../src/index.js';

/**
 * Every parser of received values, fed text built from the characters
 * header grammars care about (plus controls and non-Latin-1), must return a
 * result — never throw — and every reported drop must quote text that was
 * really in the input.
 */
const alphabet = [...'"\\,;=/*-.: \tqQW0159azAZ()<>@?{}\u0000\r\n\u00e9\u0130'];
const headerish = fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 48 });
const anything = fc.oneof(headerish, fc.string({ maxLength: 32 }));

const parsedParsers = {
  parseAge,
  parseContentRange,
  parseEntityTag,
  parseExpires,
  parseHttpDate,
  parseIfRange,
  parseMediaType,
  parseRange,
  parseRetryAfter,
};

const listParsers = {
  parseAccept,
  parseAcceptEncoding,
  parseAcceptLanguage,
  parseAcceptRanges,
  parseCacheControl,
  parseEntityTagCondition,
  parseKeepAlive,
  parseTokenList,
  parseVary,
};

describe('parsers of received values never throw', () => {
  for (const [name, parse] of Object.entries(parsedParsers)) {
    it(`${name} returns Parsed for any text`, () => {
      fc.assert(
        fc.property(anything, (text) => {
          const result = parse(text);
          expect(typeof result.ok).toBe('boolean');
          if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
        }),
        { numRuns: 300 },
      );
    });
  }

  for (const [name, parse] of Object.entries(listParsers)) {
    it(`${name} keeps what is valid and quotes what it dropped`, () => {
      fc.assert(
        fc.property(anything, (text) => {
          const result = parse(text);
          for (const part of result.dropped) {
            expect(part.reason.length).toBeGreaterThan(0);
            // Reports quote the input, except the ones that rebuild a duplicate "name=value".
            if (!part.reason.startsWith('duplicate parameter') && !part.reason.startsWith('listed with')) {
              expect(text.includes(part.text)).toBe(true);
            }
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});

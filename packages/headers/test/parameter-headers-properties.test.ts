import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  basicAuthorization,
  formatAuthorization,
  formatContentDisposition,
  parseChallenges,
  parseContentDisposition,
  parseLink,
} from '../src/index.js';

/**
 * Properties of the parameter-grammar headers: parsers answer every input
 * without throwing, and what the builders write parses back to what went in.
 */

function hasControl(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

const headerish = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(...'<>;,="\\\' \taZ*%9/:'.split('')), maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

// Printable text without controls: anything a caller may legitimately name a file.
const fileName = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 30 })
  .filter((text) => !hasControl(text));

const tokenText = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_.'.split('')),
  minLength: 1,
  maxLength: 10,
});
const latin1Text = fc
  .string({
    unit: fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code)),
    maxLength: 20,
  })
  .filter((text) => !text.includes('\u007f'));

describe('parameter-grammar headers: properties (fast-check)', () => {
  it('parseLink, parseContentDisposition and parseChallenges never throw', () => {
    fc.assert(
      fc.property(headerish, (text) => {
        expect(typeof parseLink(text).ok).toBe('boolean');
        expect(typeof parseContentDisposition(text).ok).toBe('boolean');
        expect(typeof parseChallenges(text).ok).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });

  it('formatContentDisposition then parse gives the same file name back (filename* for non-ASCII)', () => {
    fc.assert(
      fc.property(fileName, (name) => {
        const parsed = parseContentDisposition(formatContentDisposition('attachment', { filename: name }));
        expect(parsed.ok && parsed.value.filename).toBe(name);
      }),
      { numRuns: 500 },
    );
  });

  it('formatAuthorization auth-params parse back with the challenge grammar (same syntax, §11.4)', () => {
    const parameters = fc.uniqueArray(fc.tuple(tokenText, latin1Text), {
      selector: ([name]) => name,
      maxLength: 5,
    });
    fc.assert(
      fc.property(parameters, (pairs) => {
        const value = formatAuthorization('Digest', new Map(pairs));
        const parsed = parseChallenges(value);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.value).toHaveLength(1);
        expect(parsed.value[0]?.scheme).toBe('digest');
        expect([...(parsed.value[0]?.parameters ?? [])]).toEqual(pairs);
      }),
      { numRuns: 500 },
    );
  });

  it('basicAuthorization encodes user-id:password as UTF-8 base64 for any allowed text', () => {
    const part = fc
      .string({ unit: 'binary', maxLength: 20 })
      .filter((text) => !hasControl(text) && !text.includes(':'));
    fc.assert(
      fc.property(part, part, (userId, password) => {
        const value = basicAuthorization(userId, password);
        expect(value.startsWith('Basic ')).toBe(true);
        expect(Buffer.from(value.slice(6), 'base64').toString('utf8')).toBe(`${userId}:${password}`);
      }),
      { numRuns: 300 },
    );
  });
});

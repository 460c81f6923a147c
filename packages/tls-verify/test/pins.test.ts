import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkPins,
  normalizePin,
  normalizePinPattern,
  pinPatternMatches,
  pinsForHost,
  spkiPin,
} from '../src/pins.js';

const pinOf = (seed: string) => `sha256/${createHash('sha256').update(seed).digest('base64')}`;

describe('pin patterns (OkHttp CertificatePinner semantics)', () => {
  it.each([
    ['example.com', 'example.com', true],
    ['example.com', 'EXAMPLE.com.', true],
    ['example.com', 'www.example.com', false],
    ['*.example.com', 'www.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'a.b.example.com', false],
    ['*.example.com', 'badexample.com', false],
    ['**.example.com', 'example.com', true],
    ['**.example.com', 'www.example.com', true],
    ['**.example.com', 'a.b.example.com', true],
    ['**.example.com', 'badexample.com', false],
  ])('%s pins %s: %s', (pattern, host, expected) => {
    expect(pinPatternMatches(normalizePinPattern(pattern) as string, host)).toBe(expected);
  });

  it('refuses misplaced wildcards and empty labels', () => {
    for (const pattern of ['', '*', '**', 'ex*.com', 'a.*.com', '***.example.com', 'example..com', '*.']) {
      expect(normalizePinPattern(pattern)).toBeUndefined();
    }
    expect(normalizePinPattern('*.Example.COM.')).toBe('*.example.com');
  });
});

describe('pins', () => {
  it('accepts only "sha256/" plus base64 of exactly 32 bytes', () => {
    const good = pinOf('a');
    expect(normalizePin(good)).toBe(good);
    expect(normalizePin(good.replace('sha256/', 'sha1/'))).toBeUndefined();
    expect(normalizePin(`sha256/${Buffer.alloc(20).toString('base64')}`)).toBeUndefined();
    expect(normalizePin('sha256/not base64')).toBeUndefined();
    expect(normalizePin(good.slice(7))).toBeUndefined();
  });

  it('hashes the SubjectPublicKeyInfo bytes', () => {
    const spki = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05]);
    expect(spkiPin(spki)).toBe(`sha256/${createHash('sha256').update(spki).digest('base64')}`);
  });

  it('collects the pins of every rule that matches a host, without duplicates', () => {
    const rules = [
      { host: 'api.example.com', pins: [pinOf('leaf'), pinOf('backup')] },
      { host: '**.example.com', pins: [pinOf('ca'), pinOf('backup')] },
      { host: 'other.example', pins: [pinOf('other')] },
    ];
    expect(pinsForHost(rules, 'api.example.com')).toEqual([pinOf('leaf'), pinOf('backup'), pinOf('ca')]);
    expect(pinsForHost(rules, 'www.example.com')).toEqual([pinOf('ca'), pinOf('backup')]);
    expect(pinsForHost(rules, 'unpinned.test')).toEqual([]);
  });

  it('passes when any chain pin is expected, fails listing expected and seen otherwise', () => {
    expect(checkPins([], [pinOf('x')])).toEqual({ ok: true, matched: undefined });
    expect(checkPins([pinOf('backup'), pinOf('ca')], [pinOf('leaf'), pinOf('ca')])).toEqual({
      ok: true,
      matched: pinOf('ca'),
    });
    expect(checkPins([pinOf('backup')], [pinOf('leaf'), pinOf('ca')])).toEqual({
      ok: false,
      expected: [pinOf('backup')],
      seen: [pinOf('leaf'), pinOf('ca')],
    });
    expect(checkPins([pinOf('backup')], [])).toMatchObject({ ok: false });
  });
});

import { createManualClock } from '@x/core';
import { describe, expect, it } from 'vitest';
import { createSessionCache, sessionKey, type TlsSessionEntry } from '../src/session-cache.js';

const entry = (label: string, expiresAt = Date.UTC(2030, 0, 1)): TlsSessionEntry => ({
  session: new TextEncoder().encode(label),
  chain: [],
  matchedName: `DNS:${label}`,
  matchedPin: undefined,
  expiresAt,
});

describe('session cache', () => {
  it('keeps the most recently used entries up to maxEntries', () => {
    const cache = createSessionCache({ maxEntries: 2, clock: createManualClock() });
    cache.set('a', entry('a'));
    cache.set('b', entry('b'));
    expect(cache.get('a')?.matchedName).toBe('DNS:a');
    cache.set('c', entry('c'));
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('stops offering a session after maxAge', () => {
    const clock = createManualClock();
    const cache = createSessionCache({ maxAge: 1_000, clock });
    cache.set('a', entry('a'));
    clock.advance(1_000);
    expect(cache.get('a')).toBeDefined();
    clock.advance(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stops offering a session once a certificate of its chain has expired', () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const cache = createSessionCache({ clock });
    cache.set('a', entry('a', Date.UTC(2026, 0, 1, 0, 0, 30)));
    expect(cache.get('a')).toBeDefined();
    clock.setNow(Date.UTC(2026, 0, 1, 0, 0, 30));
    expect(cache.get('a')).toBeUndefined();
  });

  it('deletes and clears', () => {
    const cache = createSessionCache({ clock: createManualClock() });
    cache.set('a', entry('a'));
    cache.set('b', entry('b'));
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('keys by policy, host (case-insensitively), port, servername and ALPN', () => {
    const target = { scheme: 'https' as const, host: 'Example.com', port: 443, servername: 'example.com' };
    const key = sessionKey('p1', target, ['http/1.1']);
    expect(sessionKey('p1', { ...target, host: 'example.com' }, ['http/1.1'])).toBe(key);
    expect(sessionKey('p2', target, ['http/1.1'])).not.toBe(key);
    expect(sessionKey('p1', { ...target, port: 8443 }, ['http/1.1'])).not.toBe(key);
    expect(sessionKey('p1', { ...target, servername: 'other.example' }, ['http/1.1'])).not.toBe(key);
    expect(sessionKey('p1', target, ['h2', 'http/1.1'])).not.toBe(key);
  });
});

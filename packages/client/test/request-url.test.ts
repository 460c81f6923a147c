import { HttpClientError } from '@x/core';
import { describe, expect, it } from 'vitest';
import { parseBaseUrl, resolveRequestUrl } from '../src/index.js';

const base = parseBaseUrl('https://api.example/v1/');

function resolved(input: string | URL, query?: Parameters<typeof resolveRequestUrl>[1]): string {
  return resolveRequestUrl(input, query, { baseUrl: base }).href;
}

function rejection(run: () => unknown): HttpClientError {
  try {
    run();
  } catch (error) {
    if (HttpClientError.is(error)) return error;
    throw error;
  }
  throw new Error('expected an HttpClientError');
}

describe('resolveRequestUrl', () => {
  it('puts relative paths below the base path, with or without a leading slash', () => {
    expect(resolved('users')).toBe('https://api.example/v1/users');
    expect(resolved('/users/7')).toBe('https://api.example/v1/users/7');
    expect(resolved('users?page=2')).toBe('https://api.example/v1/users?page=2');
    expect(resolved('')).toBe('https://api.example/v1/');
    expect(resolved('?q=1')).toBe('https://api.example/v1/?q=1');
  });

  it('percent-encodes non-ASCII path characters as UTF-8', () => {
    expect(resolved('caf\u00e9')).toBe('https://api.example/v1/caf%C3%A9');
  });

  it('refuses an absolute URL to another origin when a base URL is set (SECURITY.md rule 2)', () => {
    const error = rejection(() => resolved('https://evil.example/steal'));
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.requestSent).toBe(false);
    expect(error.rule).toBe('base-url-origin');
    expect(rejection(() => resolved(new URL('http://api.example/v1/x'))).code).toBe('INVALID_REQUEST');
  });

  it('refuses network-path references that would switch hosts', () => {
    expect(rejection(() => resolved('//evil.example/x')).code).toBe('INVALID_REQUEST');
    expect(rejection(() => resolved('\\\\evil.example/x')).code).toBe('INVALID_REQUEST');
  });

  it('accepts an absolute URL on the base origin, and any origin with allowAbsoluteUrls', () => {
    expect(resolved('https://api.example/other')).toBe('https://api.example/other');
    const other = resolveRequestUrl('https://cdn.example/a', undefined, {
      baseUrl: base,
      allowAbsoluteUrls: true,
    });
    expect(other.href).toBe('https://cdn.example/a');
  });

  it('refuses other schemes and relative URLs without a base', () => {
    expect(rejection(() => resolveRequestUrl('file:///etc/passwd', undefined)).code).toBe('INVALID_REQUEST');
    expect(rejection(() => resolveRequestUrl('/relative', undefined)).code).toBe('INVALID_REQUEST');
  });

  it('appends query objects: arrays as repeated keys, undefined skipped, null empty, existing kept', () => {
    const url = resolved('search?lang=en', {
      q: 'a b&c',
      tag: ['x', 'y'],
      skip: undefined,
      empty: null,
      n: 3,
    });
    expect(url).toBe('https://api.example/v1/search?lang=en&q=a+b%26c&tag=x&tag=y&empty=&n=3');
    expect(resolved('s', new URLSearchParams([['a', '1']]))).toBe('https://api.example/v1/s?a=1');
    expect(
      resolved('s', [
        ['a', '1'],
        ['a', 2],
      ]),
    ).toBe('https://api.example/v1/s?a=1&a=2');
  });

  it('reads query objects by own properties only (SECURITY.md rule 4)', () => {
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.polluted = 'yes';
    try {
      expect(resolved('s', { a: '1' })).toBe('https://api.example/v1/s?a=1');
    } finally {
      delete prototype.polluted;
    }
  });

  it('refuses query values that are objects', () => {
    const bad = { a: { nested: true } } as unknown as Record<string, string>;
    expect(rejection(() => resolved('s', bad)).code).toBe('INVALID_REQUEST');
  });

  it('refuses a base URL with a query or fragment', () => {
    expect(rejection(() => parseBaseUrl('https://a.example/?x=1')).code).toBe('INVALID_REQUEST');
  });
});

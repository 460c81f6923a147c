import { HeaderList } from '@x/headers';
import { describe, expect, it } from 'vitest';
import { storability } from '../src/index.js';

const verdict = (
  responseHeaders: Record<string, string>,
  options: {
    shared?: boolean;
    status?: number;
    method?: string;
    requestHeaders?: Record<string, string>;
  } = {},
) =>
  storability({
    shared: options.shared ?? true,
    requestMethod: options.method ?? 'GET',
    requestHeaders: new HeaderList(options.requestHeaders ?? {}),
    status: options.status ?? 200,
    responseHeaders: new HeaderList(responseHeaders),
  });

describe('storability (RFC 9111 §3, SECURITY.md rule 30)', () => {
  it('stores GET responses with explicit freshness or a heuristically cacheable status', () => {
    expect(verdict({ 'Cache-Control': 'max-age=60' })).toEqual({ store: true });
    expect(verdict({})).toEqual({ store: true });
    expect(verdict({}, { status: 404 })).toEqual({ store: true });
    expect(verdict({ Expires: 'Thu, 01 Jan 2099 00:00:00 GMT' }, { status: 302 })).toEqual({ store: true });
    expect(verdict({ 'Cache-Control': 'max-age=10' }, { status: 500 })).toEqual({ store: true });
  });

  it('refuses statuses that are not cacheable by default and carry no freshness', () => {
    expect(verdict({}, { status: 302 })).toMatchObject({ store: false, reason: 'no freshness information' });
    expect(verdict({}, { status: 500 })).toMatchObject({ store: false });
  });

  it('refuses other methods, interim, partial and 304 responses', () => {
    expect(verdict({ 'Cache-Control': 'max-age=60' }, { method: 'HEAD' })).toMatchObject({
      reason: 'method',
    });
    expect(verdict({ 'Cache-Control': 'max-age=60' }, { method: 'POST' })).toMatchObject({
      reason: 'method',
    });
    expect(verdict({ 'Cache-Control': 'max-age=60' }, { status: 206 })).toMatchObject({
      reason: 'partial content',
    });
    expect(verdict({ 'Cache-Control': 'max-age=60' }, { status: 304 })).toMatchObject({
      reason: 'not modified',
    });
    expect(verdict({ 'Cache-Control': 'max-age=60' }, { status: 103 })).toMatchObject({
      reason: 'interim status',
    });
  });

  it('honours no-store in the request and in the response', () => {
    expect(verdict({ 'Cache-Control': 'max-age=60, no-store' })).toMatchObject({
      reason: 'response no-store',
    });
    expect(
      verdict({ 'Cache-Control': 'max-age=60' }, { requestHeaders: { 'Cache-Control': 'no-store' } }),
    ).toMatchObject({ reason: 'request no-store' });
  });

  it('keeps private responses (qualified or not) out of a shared cache, and stores them in a private one', () => {
    expect(verdict({ 'Cache-Control': 'private, max-age=60' })).toMatchObject({ reason: 'private' });
    expect(verdict({ 'Cache-Control': 'private="Set-Cookie", max-age=60' })).toMatchObject({
      reason: 'private',
    });
    expect(verdict({ 'Cache-Control': 'private' }, { shared: false })).toEqual({ store: true });
  });

  it('stores an Authorization response in a shared cache only with public, s-maxage or must-revalidate', () => {
    const authorized = { requestHeaders: { Authorization: 'Bearer x' } };
    expect(verdict({ 'Cache-Control': 'max-age=60' }, authorized)).toMatchObject({ reason: 'authorization' });
    expect(verdict({ 'Cache-Control': 'public, max-age=60' }, authorized)).toEqual({ store: true });
    expect(verdict({ 'Cache-Control': 's-maxage=60' }, authorized)).toEqual({ store: true });
    expect(verdict({ 'Cache-Control': 'max-age=60, must-revalidate' }, authorized)).toEqual({ store: true });
    expect(verdict({ 'Cache-Control': 'max-age=60' }, { ...authorized, shared: false })).toEqual({
      store: true,
    });
  });

  it('never stores Set-Cookie in a shared cache, even when public', () => {
    expect(verdict({ 'Cache-Control': 'public, max-age=60', 'Set-Cookie': 'a=b' })).toMatchObject({
      reason: 'set-cookie',
    });
    expect(verdict({ 'Cache-Control': 'max-age=60', 'Set-Cookie': 'a=b' }, { shared: false })).toEqual({
      store: true,
    });
  });

  it('refuses Vary: *, and stores a listed Vary', () => {
    expect(verdict({ 'Cache-Control': 'max-age=60', Vary: 'Accept, *' })).toMatchObject({ reason: 'vary *' });
    expect(verdict({ 'Cache-Control': 'max-age=60', Vary: 'Accept' })).toEqual({ store: true });
  });

  it('stores no-cache responses (they are validated before every reuse)', () => {
    expect(verdict({ 'Cache-Control': 'no-cache' }, { status: 302 })).toEqual({ store: true });
  });

  it('must-understand: refuses a status it does not implement, and overrides no-store for one it does', () => {
    expect(
      verdict({ 'Cache-Control': 'must-understand, no-store, max-age=60' }, { status: 299 }),
    ).toMatchObject({
      reason: 'must-understand',
    });
    expect(verdict({ 'Cache-Control': 'must-understand, no-store, max-age=60' }, { status: 200 })).toEqual({
      store: true,
    });
    expect(verdict({ 'Cache-Control': 'must-understand, max-age=60' }, { status: 299 })).toMatchObject({
      reason: 'must-understand',
    });
  });
});

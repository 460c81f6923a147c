import {
  bytesBody,
  createRequest,
  createResponse,
  type HttpRequest,
  type RequestBody,
  streamBody,
} from '@x/core';
import { describe, expect, it } from 'vitest';
import { decideRedirect, type RedirectContext, type RedirectStep } from '../src/policy.js';
import { resolveLayerSettings } from '../src/settings.js';
import type { RedirectOptions, RedirectRecord } from '../src/types.js';

function decide(
  request: HttpRequest,
  status: number,
  location: string | null,
  options: RedirectOptions = {},
  extra: Partial<RedirectContext> = {},
): RedirectStep {
  const response = createResponse({
    status,
    url: request.url,
    headers: location === null ? {} : { Location: location },
  });
  return decideRedirect({
    request,
    response,
    settings: resolveLayerSettings(options),
    chain: [],
    seen: new Set(),
    replayBody: request.body?.replayable ? request.body : null,
    ...extra,
  });
}

function follow(step: RedirectStep): Extract<RedirectStep, { kind: 'follow' }> {
  if (step.kind !== 'follow') throw new Error(`expected follow, got ${JSON.stringify(step)}`);
  return step;
}

function refusal(step: RedirectStep): { code: string; details: Readonly<Record<string, unknown>> } {
  if (step.kind !== 'refuse') throw new Error(`expected refuse, got ${step.kind}`);
  return { code: step.error.code, details: step.error.details };
}

const credentials = {
  Authorization: 'Bearer secret',
  'Proxy-Authorization': 'Basic cHJveHk=',
  Cookie: 'session=1',
  'X-Api-Key': 'k',
  Accept: 'text/html',
};

describe('decideRedirect', () => {
  it('returns non-redirect statuses, including 300, 304, 305 and 306', () => {
    const request = createRequest({ url: 'http://a.test/' });
    for (const status of [200, 204, 300, 304, 305, 306, 400, 500]) {
      expect(decide(request, status, '/x').kind).toBe('return');
    }
  });

  it('returns a redirect with no usable Location instead of failing', () => {
    const request = createRequest({ url: 'http://a.test/' });
    expect(decide(request, 302, null)).toEqual({ kind: 'return', reason: 'no Location field' });
    expect(decide(request, 302, 'http://[bad').kind).toBe('return');
  });

  it('returns every redirect in manual mode and refuses it in error mode', () => {
    const request = createRequest({ url: 'http://a.test/' });
    expect(decide(request, 302, '/x', { mode: 'manual' }).kind).toBe('return');
    const refused = refusal(decide(request, 302, '/x', { mode: 'error' }));
    expect(refused.code).toBe('REDIRECT_REFUSED');
    expect(refused.details.reason).toBe('mode');
    // A 3xx with nothing to follow is not a redirect, whatever the mode.
    expect(decide(request, 302, null, { mode: 'error' }).kind).toBe('return');
  });

  it('refuses a non-http(s) Location', () => {
    const request = createRequest({ url: 'http://a.test/' });
    const refused = refusal(decide(request, 302, 'file:///etc/passwd'));
    expect(refused).toMatchObject({
      code: 'REDIRECT_REFUSED',
      details: { reason: 'scheme', scheme: 'file' },
    });
  });

  it('refuses https → http unless allowDowngrade, and allows http → https', () => {
    const secure = createRequest({ url: 'https://a.test/' });
    expect(refusal(decide(secure, 301, 'http://a.test/')).code).toBe('REDIRECT_DOWNGRADE');
    expect(refusal(decide(secure, 301, 'http://b.test/')).code).toBe('REDIRECT_DOWNGRADE');
    expect(follow(decide(secure, 301, 'http://a.test/', { allowDowngrade: true })).next.url.href).toBe(
      'http://a.test/',
    );
    const plain = createRequest({ url: 'http://a.test/' });
    expect(follow(decide(plain, 301, 'https://a.test/')).next.url.protocol).toBe('https:');
  });

  it('keeps credentials on a same-origin hop', () => {
    const request = createRequest({ url: 'http://a.test/one', headers: credentials });
    const step = follow(decide(request, 302, '/two', { sensitiveHeaders: ['X-Api-Key'] }));
    expect(step.crossOrigin).toBe(false);
    expect(step.next.headers).toBe(request.headers);
  });

  it('drops Authorization, Proxy-Authorization, Cookie and listed headers on a cross-origin hop', () => {
    const request = createRequest({ url: 'http://a.test/', headers: credentials });
    const step = follow(decide(request, 302, 'http://b.test/', { sensitiveHeaders: ['x-api-key'] }));
    expect(step.crossOrigin).toBe(true);
    expect(step.next.headers.names()).toEqual(['accept']);
    // The request the caller gave is untouched.
    expect(request.headers.get('authorization')).toBe('Bearer secret');
  });

  it('treats another scheme or port as another origin, and default ports as the same', () => {
    const request = createRequest({ url: 'http://a.test/', headers: { Authorization: 'x' } });
    expect(follow(decide(request, 302, 'https://a.test/')).crossOrigin).toBe(true);
    expect(follow(decide(request, 302, 'http://a.test:8080/')).crossOrigin).toBe(true);
    expect(follow(decide(request, 302, 'http://A.TEST:80/x')).crossOrigin).toBe(false);
  });

  it('compares origins after URL parsing, so backslash and case tricks still count as cross-origin', () => {
    const request = createRequest({ url: 'http://a.test/', headers: { Cookie: 'sid=1' } });
    for (const location of [
      '/\\b.test/x',
      '\\\\b.test/x',
      'HTTP://B.TEST/x',
      'http://b.test:80@a.test.b.test/',
    ]) {
      const step = follow(decide(request, 302, location));
      expect(step.next.url.hostname).not.toBe('a.test');
      expect(step.crossOrigin).toBe(true);
      expect(step.next.headers.has('cookie')).toBe(false);
    }
  });

  it('drops URL userinfo and a caller-set Host on a cross-origin hop only', () => {
    const request = createRequest({ url: 'http://user:pw@a.test/', headers: { Host: 'a.test' } });
    const same = follow(decide(request, 302, '/x'));
    expect(same.next.url.username).toBe('user');
    expect(same.next.headers.get('host')).toBe('a.test');
    const cross = follow(decide(request, 302, 'http://user2:pw2@b.test/'));
    expect(cross.next.url.href).toBe('http://b.test/');
    expect(cross.next.headers.has('host')).toBe(false);
  });

  it('rewrites POST to GET on 302 and drops the body headers with the body', () => {
    const request = createRequest({
      method: 'POST',
      url: 'http://a.test/form',
      headers: { 'Content-Type': 'text/plain', 'Content-Language': 'en', Accept: '*/*' },
      body: 'hello',
    });
    const step = follow(decide(request, 302, '/done'));
    expect(step.next.method).toBe('GET');
    expect(step.next.body).toBeNull();
    expect(step.next.headers.names()).toEqual(['accept']);
  });

  it('keeps method, body and body headers on 307', () => {
    const request = createRequest({
      method: 'PUT',
      url: 'http://a.test/',
      headers: { 'Content-Type': 'text/plain' },
      body: 'hello',
    });
    const step = follow(decide(request, 307, '/again'));
    expect(step.next.method).toBe('PUT');
    expect(step.next.body).toBe(request.body);
    expect(step.next.headers.get('content-type')).toBe('text/plain');
  });

  it('refuses to resend a body that cannot be replayed', () => {
    const body: RequestBody = streamBody(
      (async function* () {
        yield new Uint8Array([1]);
      })(),
    );
    const request = createRequest({ method: 'POST', url: 'http://a.test/', body });
    const refused = refusal(decide(request, 308, '/x'));
    expect(refused.code).toBe('REDIRECT_BODY_NOT_REPLAYABLE');
    // With a kept copy, it is resent.
    const copy = bytesBody(new Uint8Array([1]));
    expect(follow(decide(request, 308, '/x', {}, { replayBody: copy })).next.body).toBe(copy);
    // Dropped anyway on 303: nothing to replay, nothing refused.
    expect(follow(decide(request, 303, '/x')).next.body).toBeNull();
  });

  it('refuses past maxRedirects, listing the whole chain', () => {
    const request = createRequest({ url: 'http://a.test/3' });
    const chain: RedirectRecord[] = [
      { url: 'http://a.test/1', status: 301, method: 'GET' },
      { url: 'http://a.test/2', status: 302, method: 'GET' },
    ];
    const refused = refusal(decide(request, 307, '/4', { maxRedirects: 2 }, { chain }));
    expect(refused.code).toBe('REDIRECT_LIMIT');
    expect(refused.details.max).toBe(2);
    expect(refused.details.chain).toEqual([...chain, { url: 'http://a.test/3', status: 307, method: 'GET' }]);
    expect(decide(request, 307, '/4', { maxRedirects: 3 }, { chain }).kind).toBe('follow');
    expect(refusal(decide(request, 301, '/4', { maxRedirects: 0 })).code).toBe('REDIRECT_LIMIT');
  });

  it('refuses a hop it has already followed (a loop), unless loop detection is off', () => {
    const request = createRequest({ url: 'http://a.test/a#frag' });
    const first = follow(decide(request, 302, '/b'));
    const seen = new Set([first.loopKey]);
    expect(refusal(decide(request, 302, '/b', {}, { seen })).code).toBe('REDIRECT_LOOP');
    // Same URL, different target or status: not the same hop.
    expect(decide(request, 302, '/c', {}, { seen }).kind).toBe('follow');
    expect(decide(request, 301, '/b', {}, { seen }).kind).toBe('follow');
    expect(decide(request, 302, '/b', { detectLoops: false }, { seen }).kind).toBe('follow');
  });

  it('redacts userinfo from the chain it records', () => {
    const request = createRequest({ url: 'http://user:pw@a.test/' });
    expect(follow(decide(request, 302, '/x')).record.url).toBe('http://a.test/');
  });
});

describe('resolveLayerSettings', () => {
  it('has safe defaults', () => {
    const settings = resolveLayerSettings({});
    expect(settings).toMatchObject({
      mode: 'follow',
      maxRedirects: 20,
      preserveMethod: false,
      allowDowngrade: false,
      bufferBody: 0,
      detectLoops: true,
    });
    expect([...settings.sensitiveHeaders]).toEqual(['authorization', 'proxy-authorization', 'cookie']);
  });

  it('rejects invalid options with INVALID_REQUEST', () => {
    const bad: unknown[] = [
      { mode: 'sometimes' },
      { maxRedirects: -1 },
      { maxRedirects: 1.5 },
      { bufferBody: Number.NaN },
      { allowDowngrade: 'yes' },
      { sensitiveHeaders: 'cookie' },
      { sensitiveHeaders: ['bad name'] },
    ];
    for (const options of bad) {
      expect(() => resolveLayerSettings(options as RedirectOptions)).toThrow(
        expect.objectContaining({ code: 'INVALID_REQUEST' }),
      );
    }
  });

  it('adds listed sensitive headers to the built-in ones, never replacing them', () => {
    const settings = resolveLayerSettings({ sensitiveHeaders: ['X-Token'] });
    expect(settings.sensitiveHeaders.has('x-token')).toBe(true);
    expect(settings.sensitiveHeaders.has('authorization')).toBe(true);
  });
});

import { createManualClock, createMockTransport, createRequest, type RecordedRequest } from '@x/core';
import { withRedirects } from '@x/redirect';
import { describe, expect, it } from 'vitest';
import { createCookieJar, withCookies } from '../src/index.js';

// withRedirects(withCookies(transport)): the cookie layer sees every hop.

function stack(handler: (request: RecordedRequest) => { status: number; headers?: [string, string][] }) {
  const inner = createMockTransport((request) => handler(request));
  const jar = createCookieJar();
  const transport = withRedirects(withCookies(inner, { jar, clock: createManualClock() }));
  const cookieAt = (index: number) => inner.requests[index]?.headers.get('cookie') ?? null;
  return { inner, jar, transport, cookieAt };
}

describe('cookies across redirects', () => {
  it('stores a cookie set by a 302 and sends it on the next same-origin hop', async () => {
    const { transport, cookieAt } = stack((request) =>
      request.url.pathname === '/login'
        ? {
            status: 302,
            headers: [
              ['Set-Cookie', 'session=abc; Path=/'],
              ['Location', '/home'],
            ],
          }
        : { status: 200 },
    );
    const response = await transport.request(createRequest({ url: 'https://a.example/login' }));
    expect(response.url.href).toBe('https://a.example/home');
    expect(cookieAt(0)).toBeNull();
    expect(cookieAt(1)).toBe('session=abc');
  });

  it('sends each origin only its own cookies on a cross-origin chain, and back again', async () => {
    const { jar, transport, cookieAt } = stack((request) => {
      const at = `${request.url.host}${request.url.pathname}`;
      if (at === 'a.example/start') {
        return {
          status: 302,
          headers: [
            ['Set-Cookie', 'a_session=1'],
            ['Location', 'https://b.example/sso'],
          ],
        };
      }
      if (at === 'b.example/sso') {
        return {
          status: 303,
          headers: [
            ['Set-Cookie', 'b_session=2'],
            ['Location', 'https://a.example/done'],
          ],
        };
      }
      return { status: 200 };
    });
    // set before the layer's clock starts, so it is the oldest (RFC 6265bis §5.8.3 order)
    await jar.setCookie('pre=0', 'https://a.example/', { now: new Date(Date.UTC(2025, 0, 1)) });
    const response = await transport.request(
      createRequest({ url: 'https://a.example/start', headers: { cookie: 'caller=secret' } }),
    );
    expect(response.url.href).toBe('https://a.example/done');
    // hop 1 → a: the caller's and the jar's
    expect(cookieAt(0)).toBe('caller=secret; pre=0');
    // hop 2 → b: the redirect layer dropped the caller's Cookie; the jar has nothing for b yet
    expect(cookieAt(1)).toBeNull();
    // hop 3 → a again: a's cookies from the jar (the caller's stays dropped), nothing of b's
    expect(cookieAt(2)).toBe('pre=0; a_session=1');
    expect((await jar.getCookies('https://b.example/')).map((cookie) => cookie.key)).toEqual(['b_session']);
  });

  it('does not send a Secure cookie on an https → http hop', async () => {
    const inner = createMockTransport((request) =>
      request.url.protocol === 'https:'
        ? { status: 302, headers: [['Location', 'http://a.example/plain']] }
        : { status: 200 },
    );
    const jar = createCookieJar();
    await jar.setCookie('secure=1; Secure', 'https://a.example/');
    await jar.setCookie('plain=2', 'https://a.example/');
    const transport = withRedirects(withCookies(inner, { jar }), { allowDowngrade: true });
    const response = await transport.request(createRequest({ url: 'https://a.example/' }));
    expect(response.url.href).toBe('http://a.example/plain');
    expect(inner.requests.map((request) => request.headers.get('cookie'))).toEqual([
      'secure=1; plain=2',
      'plain=2',
    ]);
  });
});

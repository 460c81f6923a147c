import { createManualClock, createMockTransport, createRequest, type MockTransport } from '@x/core';
import { describe, expect, it } from 'vitest';
import { CookieJar, createCookieJar, withCookies } from '../src/index.js';

/** A transport whose responses carry the Set-Cookie fields a test gives per URL path. */
function server(setCookies: Record<string, string[]> = {}): MockTransport {
  return createMockTransport((request) => ({
    status: 200,
    headers: (setCookies[request.url.pathname] ?? []).map(
      (value) => ['Set-Cookie', value] as [string, string],
    ),
  }));
}

function sentCookie(transport: MockTransport, index = -1): string | null {
  return transport.requests.at(index)?.headers.get('cookie') ?? null;
}

async function visit(layer: ReturnType<typeof withCookies>, url: string, headers?: Record<string, string>) {
  const response = await layer.request(createRequest({ url, headers }));
  await response.body.text();
  return response;
}

function setup(setCookies: Record<string, string[]> = {}, jar: CookieJar = createCookieJar()) {
  const clock = createManualClock(Date.UTC(2026, 0, 1));
  const inner = server(setCookies);
  return { inner, jar, clock, layer: withCookies(inner, { jar, clock }) };
}

describe('domain and path matching', () => {
  it('sends a host-only cookie back to that host only, not to its subdomains', async () => {
    const { inner, layer } = setup({ '/set': ['sid=1'] });
    await visit(layer, 'https://example.com/set');
    await visit(layer, 'https://example.com/other');
    expect(sentCookie(inner)).toBe('sid=1');
    await visit(layer, 'https://api.example.com/');
    expect(sentCookie(inner)).toBeNull();
  });

  it('sends a Domain cookie to the domain and its subdomains, never to a sibling domain', async () => {
    const { inner, layer } = setup({ '/set': ['wide=1; Domain=example.com'] });
    await visit(layer, 'https://www.example.com/set');
    await visit(layer, 'https://api.example.com/');
    expect(sentCookie(inner)).toBe('wide=1');
    await visit(layer, 'https://example.com/');
    expect(sentCookie(inner)).toBe('wide=1');
    await visit(layer, 'https://badexample.com/');
    expect(sentCookie(inner)).toBeNull();
  });

  it('refuses a Domain attribute for another site', async () => {
    const { layer } = setup({ '/set': ['evil=1; Domain=other.com'] });
    const response = await visit(layer, 'https://example.com/set');
    expect(response.meta.cookies?.stored).toEqual([]);
    expect(response.meta.cookies?.rejected[0]?.name).toBe('evil');
  });

  it('refuses cookies for a public suffix (co.uk, com)', async () => {
    const { inner, layer } = setup({
      '/set': ['a=1; Domain=co.uk', 'b=2; Domain=com', 'c=3; Domain=example.co.uk'],
    });
    const response = await visit(layer, 'https://www.example.co.uk/set');
    expect(response.meta.cookies?.rejected.map((rejection) => rejection.name)).toEqual(['a', 'b']);
    expect(response.meta.cookies?.rejected[0]?.reason).toMatch(/public suffix/);
    await visit(layer, 'https://shop.example.co.uk/');
    expect(sentCookie(inner)).toBe('c=3');
    await visit(layer, 'https://other.co.uk/');
    expect(sentCookie(inner)).toBeNull();
  });

  it('matches paths on segment boundaries and sends longer paths first', async () => {
    const { inner, layer } = setup({
      '/app/set': ['root=1; Path=/', 'app=2; Path=/app', 'deep=3; Path=/app/admin'],
    });
    await visit(layer, 'https://example.com/app/set');
    await visit(layer, 'https://example.com/app/admin/users');
    expect(sentCookie(inner)).toBe('deep=3; app=2; root=1');
    await visit(layer, 'https://example.com/application');
    expect(sentCookie(inner)).toBe('root=1');
  });

  it('uses the default path of the request URI when Path is absent (§5.1.4)', async () => {
    const { inner, layer } = setup({ '/docs/set': ['doc=1'] });
    await visit(layer, 'https://example.com/docs/set');
    await visit(layer, 'https://example.com/docs/read');
    expect(sentCookie(inner)).toBe('doc=1');
    await visit(layer, 'https://example.com/');
    expect(sentCookie(inner)).toBeNull();
  });
});

describe('Secure, HttpOnly, SameSite', () => {
  it('never sends a Secure cookie over http:, even to localhost, even with a lenient jar', async () => {
    // tough-cookie's own default jar treats localhost as secure; the layer does not.
    for (const [host, jar] of [
      ['example.com', createCookieJar()],
      ['localhost', createCookieJar()],
      ['127.0.0.1', createCookieJar()],
      ['localhost', new CookieJar()],
      ['127.0.0.1', new CookieJar()],
    ] as const) {
      const { inner, layer } = setup({ '/set': ['token=s3cret; Secure', 'plain=1'] }, jar);
      await visit(layer, `https://${host}/set`);
      await visit(layer, `http://${host}/`);
      expect(sentCookie(inner)).toBe('plain=1');
      await visit(layer, `https://${host}/`);
      expect(sentCookie(inner)).toBe('token=s3cret; plain=1');
    }
  });

  it('refuses a Secure cookie set over http:', async () => {
    const { inner, layer } = setup({ '/set': ['token=1; Secure'] });
    const response = await visit(layer, 'http://localhost/set');
    expect(response.meta.cookies?.rejected).toEqual([
      { name: 'token', reason: 'Secure cookie set over http:' },
    ]);
    await visit(layer, 'https://localhost/');
    expect(sentCookie(inner)).toBeNull();
  });

  it('sends HttpOnly cookies (this is an HTTP API) and records SameSite and HttpOnly', async () => {
    const { inner, jar, layer } = setup({ '/set': ['h=1; HttpOnly; SameSite=Strict', 'l=2; SameSite=Lax'] });
    await visit(layer, 'https://example.com/set');
    await visit(layer, 'https://example.com/');
    expect(sentCookie(inner)).toBe('h=1; l=2');
    const stored = await jar.getCookies('https://example.com/');
    expect(stored.map((cookie) => [cookie.key, cookie.httpOnly, cookie.sameSite])).toEqual([
      ['h', true, 'strict'],
      ['l', false, 'lax'],
    ]);
  });

  it('enforces __Host- and __Secure- prefixes', async () => {
    const { layer } = setup({
      '/set': [
        '__Host-ok=1; Secure; Path=/',
        '__Host-bad=2; Secure; Path=/; Domain=example.com',
        '__Secure-bad=3',
      ],
    });
    const response = await visit(layer, 'https://example.com/set');
    expect(response.meta.cookies?.stored).toEqual(['__Host-ok']);
    expect(response.meta.cookies?.rejected.map((rejection) => rejection.name)).toEqual([
      '__Host-bad',
      '__Secure-bad',
    ]);
  });
});

describe('expiry on the injected clock', () => {
  it('expires a Max-Age cookie counted from receipt, however often it is read', async () => {
    const { inner, clock, layer } = setup({ '/set': ['short=1; Max-Age=60'] });
    await visit(layer, 'https://example.com/set');
    clock.advance(59_000);
    await visit(layer, 'https://example.com/');
    expect(sentCookie(inner)).toBe('short=1');
    clock.advance(1_000);
    await visit(layer, 'https://example.com/');
    expect(sentCookie(inner)).toBeNull();
  });

  it('expires an Expires cookie at that date, and removes it from the jar', async () => {
    const { inner, jar, clock, layer } = setup({
      '/set': ['dated=1; Expires=Thu, 01 Jan 2026 01:00:00 GMT'],
    });
    await visit(layer, 'https://example.com/set');
    clock.advance(3_599_000);
    await visit(layer, 'https://example.com/');
    expect(sentCookie(inner)).toBe('dated=1');
    clock.advance(1_000);
    await visit(layer, 'https://example.com/');
    expect(sentCookie(inner)).toBeNull();
    expect(await jar.getCookies('https://example.com/', { expire: false })).toEqual([]);
  });

  it('deletes a cookie with Max-Age=0 or an Expires in the past', async () => {
    const { inner, layer } = setup({
      '/set': ['a=1', 'b=2'],
      '/clear': ['a=; Max-Age=0', 'b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT'],
    });
    await visit(layer, 'https://example.com/set');
    await visit(layer, 'https://example.com/clear');
    expect(sentCookie(inner)).toBe('a=1; b=2');
    await visit(layer, 'https://example.com/');
    expect(sentCookie(inner)).toBeNull();
  });

  it('caps a lifetime at 400 days (RFC 6265bis §5.6.1)', async () => {
    const { inner, clock, layer } = setup({ '/set': ['forever=1; Max-Age=999999999'] });
    await visit(layer, 'https://example.com/set');
    clock.advance(400 * 24 * 3600 * 1000 - 1000);
    await visit(layer, 'https://example.com/');
    expect(sentCookie(inner)).toBe('forever=1');
    clock.advance(1000);
    await visit(layer, 'https://example.com/');
    expect(sentCookie(inner)).toBeNull();
  });
});

describe('size limits and bad input', () => {
  it('ignores a cookie whose name and value exceed 4096 bytes, and an attribute value over 1024', async () => {
    const { inner, layer } = setup({
      '/set': [`big=${'x'.repeat(4093)}`, `ok=${'y'.repeat(4000)}`, `attr=1; Path=/${'p'.repeat(1100)}`],
    });
    const response = await visit(layer, 'https://example.com/set');
    expect(response.meta.cookies?.rejected.map((rejection) => rejection.name)).toEqual(['big']);
    await visit(layer, 'https://example.com/');
    // the over-long Path was ignored, so the default path (/) applies
    expect(sentCookie(inner)).toBe(`ok=${'y'.repeat(4000)}; attr=1`);
  });

  it('refuses unparseable Set-Cookie fields without failing the response', async () => {
    const { layer } = setup({ '/set': ['=novalue', 'good=1'] });
    const response = await visit(layer, 'https://example.com/set');
    expect(response.status).toBe(200);
    expect(response.meta.cookies?.stored).toEqual(['good']);
    expect(response.meta.cookies?.rejected).toHaveLength(1);
  });

  it('keeps a Cookie field the caller set and appends the jar’s, in one field', async () => {
    const { inner, layer } = setup({ '/set': ['jar=1'] });
    await visit(layer, 'https://example.com/set');
    await visit(layer, 'https://example.com/', { cookie: 'mine=2' });
    expect(inner.requests.at(-1)?.headers.getAll('cookie')).toEqual(['mine=2; jar=1']);
  });

  it('reports names only, never values, in meta', async () => {
    const { layer } = setup({ '/set': ['session=very-secret-value; Domain=co.uk'] });
    const response = await visit(layer, 'https://example.co.uk/set');
    expect(JSON.stringify(response.meta.cookies)).not.toContain('very-secret-value');
  });

  it('refuses to build without a jar', () => {
    expect(() => withCookies(server(), {} as never)).toThrow(/CookieJar/);
  });
});

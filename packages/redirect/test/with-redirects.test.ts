import {
  compose,
  createMockTransport,
  createRequest,
  HttpClientError,
  type HttpResponse,
  type MockHandler,
  type RecordedRequest,
} from '@x/core';
import { describe, expect, it } from 'vitest';
import { redirects, withRedirects } from '../src/index.js';
import { type TrackedResponse, trackedResponse } from './helpers.js';

/** Routes by URL: each key answers with a redirect to its value, anything else with 200 "final". */
function redirectServer(routes: Record<string, { status?: number; location?: string }>) {
  const responses: TrackedResponse[] = [];
  const handler: MockHandler = (request) => {
    const route = routes[request.url.href.split('#')[0] as string];
    if (route === undefined) return { status: 200, body: 'final' };
    const headers: Record<string, string> = route.location === undefined ? {} : { Location: route.location };
    const tracked = trackedResponse(route.status ?? 302, request.url, headers);
    responses.push(tracked);
    return tracked.response;
  };
  return { handler, responses };
}

async function rejection(promise: Promise<unknown>): Promise<HttpClientError> {
  try {
    await promise;
  } catch (error) {
    if (HttpClientError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const urls = (requests: readonly RecordedRequest[]) => requests.map((request) => request.url.href);

describe('withRedirects: following', () => {
  it('follows a chain, reports where it ended and how, and cancels each intermediate body unread', async () => {
    const server = redirectServer({
      'http://a.test/1': { status: 301, location: '/2' },
      'http://a.test/2': { status: 302, location: 'http://b.test/3' },
      'http://b.test/3': { status: 307, location: '//c.test/4' },
    });
    const inner = createMockTransport(server.handler);
    const transport = withRedirects(inner);
    const response = await transport.request(createRequest({ url: 'http://a.test/1' }));
    expect(response.status).toBe(200);
    expect(await response.body.text()).toBe('final');
    expect(response.url.href).toBe('http://c.test/4');
    expect(response.meta.redirects).toEqual([
      { url: 'http://a.test/1', status: 301, method: 'GET' },
      { url: 'http://a.test/2', status: 302, method: 'GET' },
      { url: 'http://b.test/3', status: 307, method: 'GET' },
    ]);
    expect(urls(inner.requests)).toEqual([
      'http://a.test/1',
      'http://a.test/2',
      'http://b.test/3',
      'http://c.test/4',
    ]);
    expect(server.responses.map((tracked) => tracked.cancelled())).toEqual([true, true, true]);
    expect(server.responses.map((tracked) => tracked.reads())).toEqual([0, 0, 0]);
  });

  it('hands back a non-redirect response with an empty chain', async () => {
    const inner = createMockTransport(() => ({ status: 404, body: 'nope' }));
    const response = await withRedirects(inner).request(createRequest({ url: 'http://a.test/' }));
    expect(response.status).toBe(404);
    expect(response.meta.redirects).toEqual([]);
    expect(await response.body.text()).toBe('nope');
  });

  it('carries the fragment of the first URL to the final one (RFC 9110 §10.2.2)', async () => {
    const server = redirectServer({ 'http://a.test/1': { location: '/2' } });
    const response = await withRedirects(createMockTransport(server.handler)).request(
      createRequest({ url: 'http://a.test/1#part' }),
    );
    expect(response.url.href).toBe('http://a.test/2#part');
  });

  it('returns a redirect without Location, or with an invalid one, as is with its body readable', async () => {
    for (const location of [undefined, 'http://[::1', '']) {
      const server = redirectServer({ 'http://a.test/': { status: 302, location } });
      const inner = createMockTransport(server.handler);
      const response = await withRedirects(inner).request(createRequest({ url: 'http://a.test/' }));
      expect(response.status).toBe(302);
      expect(await response.body.text()).toBe('intermediate body');
      expect(inner.requests).toHaveLength(1);
    }
  });

  it('is a Layer for compose, and close() reaches the inner transport', async () => {
    const server = redirectServer({ 'http://a.test/': { location: '/b' } });
    const inner = createMockTransport(server.handler);
    const transport = compose(inner, redirects({ maxRedirects: 3 }));
    const response = await transport.request(createRequest({ url: 'http://a.test/' }));
    expect(response.url.pathname).toBe('/b');
    await transport.close();
    expect(inner.closed).toBe(true);
  });
});

describe('withRedirects: modes', () => {
  it('returns the 3xx untouched in manual mode, per request or per layer', async () => {
    const server = redirectServer({ 'http://a.test/': { location: '/b' } });
    const inner = createMockTransport(server.handler);
    const perRequest = await withRedirects(inner).request(
      createRequest({ url: 'http://a.test/', options: { redirect: { mode: 'manual' } } }),
    );
    expect(perRequest.status).toBe(302);
    expect(perRequest.headers.get('location')).toBe('/b');
    expect(await perRequest.body.text()).toBe('intermediate body');
    const perLayer = await withRedirects(inner, { mode: 'manual' }).request(
      createRequest({ url: 'http://a.test/' }),
    );
    expect(perLayer.status).toBe(302);
    await perLayer.body.cancel();
    expect(inner.requests).toHaveLength(2);
  });

  it('lets a request override the layer mode back to follow', async () => {
    const server = redirectServer({ 'http://a.test/': { location: '/b' } });
    const transport = withRedirects(createMockTransport(server.handler), { mode: 'manual' });
    const response = await transport.request(
      createRequest({ url: 'http://a.test/', options: { redirect: { mode: 'follow' } } }),
    );
    expect(response.status).toBe(200);
  });

  it('rejects with REDIRECT_REFUSED in error mode and discards the body', async () => {
    const server = redirectServer({ 'http://a.test/': { status: 301, location: '/b' } });
    const inner = createMockTransport(server.handler);
    const error = await rejection(
      withRedirects(inner).request(
        createRequest({ url: 'http://a.test/', options: { redirect: { mode: 'error' } } }),
      ),
    );
    expect(error.code).toBe('REDIRECT_REFUSED');
    expect(error.requestSent).toBe(true);
    expect(server.responses[0]?.cancelled()).toBe(true);
    expect(inner.requests).toHaveLength(1);
  });

  it('refuses invalid layer options when the layer is built', () => {
    const inner = createMockTransport(() => ({ status: 200 }));
    const bad: unknown[] = [
      { onRedirect: 'yes' },
      { maxRedirects: Number.POSITIVE_INFINITY },
      { mode: 'FOLLOW' },
    ];
    for (const options of bad) {
      expect(() => withRedirects(inner, options as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_REQUEST' }),
      );
      expect(() => redirects(options as never)(inner)).toThrow(
        expect.objectContaining({ code: 'INVALID_REQUEST' }),
      );
    }
  });

  it('rejects invalid per-request options before sending anything', async () => {
    const inner = createMockTransport(() => ({ status: 200 }));
    const error = await rejection(
      withRedirects(inner).request(
        createRequest({ url: 'http://a.test/', options: { redirect: { maxRedirects: -3 } } }),
      ),
    );
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.requestSent).toBe(false);
    expect(inner.requests).toHaveLength(0);
  });

  it('ignores redirect options inherited from a polluted Object.prototype (SECURITY.md rule 4)', async () => {
    const server = redirectServer({ 'http://a.test/': { location: '/b' } });
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.redirect = { mode: 'manual' };
    prototype.mode = 'error';
    try {
      const response = await withRedirects(createMockTransport(server.handler)).request(
        createRequest({ url: 'http://a.test/' }),
      );
      expect(response.status).toBe(200);
    } finally {
      delete prototype.redirect;
      delete prototype.mode;
    }
  });
});

describe('withRedirects: limits and loops', () => {
  const endless: MockHandler = (request) => {
    const step = Number(request.url.pathname.slice(1));
    return { status: 302, headers: { Location: `/${step + 1}` }, body: 'more' };
  };

  it('follows 20 redirects by default and rejects the 21st with the whole chain', async () => {
    const inner = createMockTransport(endless);
    const error = await rejection(withRedirects(inner).request(createRequest({ url: 'http://a.test/0' })));
    expect(error.code).toBe('REDIRECT_LIMIT');
    expect(inner.requests).toHaveLength(21);
    const chain = error.details.chain as { url: string }[];
    expect(chain).toHaveLength(21);
    expect(chain[0]?.url).toBe('http://a.test/0');
    expect(chain[20]?.url).toBe('http://a.test/20');
    expect(error.details.max).toBe(20);
  });

  it('honours a per-request maxRedirects, 0 included', async () => {
    const inner = createMockTransport(endless);
    const transport = withRedirects(inner);
    const two = await rejection(
      transport.request(
        createRequest({ url: 'http://a.test/0', options: { redirect: { maxRedirects: 2 } } }),
      ),
    );
    expect(two.code).toBe('REDIRECT_LIMIT');
    expect(inner.requests).toHaveLength(3);
    const none = await rejection(
      transport.request(
        createRequest({ url: 'http://a.test/0', options: { redirect: { maxRedirects: 0 } } }),
      ),
    );
    expect(none.code).toBe('REDIRECT_LIMIT');
    expect(inner.requests).toHaveLength(4);
  });

  it('detects a loop long before the limit', async () => {
    const server = redirectServer({
      'http://a.test/a': { location: 'http://b.test/b' },
      'http://b.test/b': { location: 'http://a.test/a' },
    });
    const inner = createMockTransport(server.handler);
    const error = await rejection(withRedirects(inner).request(createRequest({ url: 'http://a.test/a' })));
    expect(error.code).toBe('REDIRECT_LOOP');
    expect(urls(inner.requests)).toEqual(['http://a.test/a', 'http://b.test/b', 'http://a.test/a']);
    expect(error.details.chain).toHaveLength(3);
    expect(server.responses.every((tracked) => tracked.cancelled())).toBe(true);
  });

  it('detects a self-redirect loop on its second occurrence', async () => {
    const inner = createMockTransport(() => ({ status: 302, headers: { Location: '/same' } }));
    const error = await rejection(withRedirects(inner).request(createRequest({ url: 'http://a.test/same' })));
    expect(error.code).toBe('REDIRECT_LOOP');
    expect(inner.requests).toHaveLength(2);
  });

  it('allows revisiting a URL once when the server answers differently (login-style flows)', async () => {
    // /page → /login → /page, which now answers 200 (a cookie layer below would make it so).
    const inner = createMockTransport((request, context) => {
      if (request.url.pathname === '/page' && context.index === 1)
        return { status: 302, headers: { Location: '/login' } };
      if (request.url.pathname === '/login') return { status: 302, headers: { Location: '/page' } };
      return { status: 200, body: 'welcome' };
    });
    const response = await withRedirects(inner).request(createRequest({ url: 'http://a.test/page' }));
    expect(await response.body.text()).toBe('welcome');
    expect(response.meta.redirects).toHaveLength(2);
  });
});

describe('withRedirects: credentials and origins (SECURITY.md rules 22, 23)', () => {
  const sensitive = {
    Authorization: 'Bearer secret',
    'Proxy-Authorization': 'Basic cA==',
    Cookie: 'sid=1',
    'X-Api-Key': 'key',
    'X-Trace': 'keep-me',
  };

  it('keeps credentials on same-origin hops', async () => {
    const server = redirectServer({ 'http://a.test/1': { location: '/2' } });
    const inner = createMockTransport(server.handler);
    await withRedirects(inner).request(createRequest({ url: 'http://a.test/1', headers: sensitive }));
    expect(inner.requests[1]?.headers.get('authorization')).toBe('Bearer secret');
    expect(inner.requests[1]?.headers.get('cookie')).toBe('sid=1');
  });

  it('drops them cross-origin and keeps them dropped back on the first origin', async () => {
    const server = redirectServer({
      'http://a.test/1': { location: 'http://b.test/2' },
      'http://b.test/2': { location: 'http://a.test/3' },
    });
    const inner = createMockTransport(server.handler);
    const request = createRequest({ url: 'http://a.test/1', headers: sensitive });
    await withRedirects(inner, { sensitiveHeaders: ['X-Api-Key'] }).request(request);
    expect(inner.requests[0]?.headers.get('authorization')).toBe('Bearer secret');
    for (const later of inner.requests.slice(1)) {
      expect(later.headers.names()).toEqual(['x-trace']);
    }
    expect(urls(inner.requests)).toEqual(['http://a.test/1', 'http://b.test/2', 'http://a.test/3']);
    // Nothing was mutated.
    expect(request.headers.get('x-api-key')).toBe('key');
  });

  it('adds per-request sensitive headers to the layer list', async () => {
    const server = redirectServer({ 'http://a.test/': { location: 'http://b.test/' } });
    const inner = createMockTransport(server.handler);
    await withRedirects(inner, { sensitiveHeaders: ['X-Api-Key'] }).request(
      createRequest({
        url: 'http://a.test/',
        headers: sensitive,
        options: { redirect: { sensitiveHeaders: ['x-trace'] } },
      }),
    );
    expect(inner.requests[1]?.headers.size).toBe(0);
  });

  it('drops URL userinfo on a cross-origin hop, even userinfo the Location itself carries', async () => {
    const server = redirectServer({ 'http://user:pass@a.test/': { location: 'http://user:pass@b.test/' } });
    const inner = createMockTransport(server.handler);
    await withRedirects(inner).request(createRequest({ url: 'http://user:pass@a.test/' }));
    expect(inner.requests[1]?.url.href).toBe('http://b.test/');
    expect(inner.requests[1]?.url.password).toBe('');
  });

  it('refuses an https → http downgrade by default and follows it when allowed', async () => {
    const server = redirectServer({ 'https://a.test/': { location: 'http://a.test/' } });
    const inner = createMockTransport(server.handler);
    const transport = withRedirects(inner);
    const error = await rejection(transport.request(createRequest({ url: 'https://a.test/' })));
    expect(error.code).toBe('REDIRECT_DOWNGRADE');
    expect(inner.requests).toHaveLength(1);
    expect(server.responses[0]?.cancelled()).toBe(true);
    const allowed = await transport.request(
      createRequest({
        url: 'https://a.test/',
        headers: { Authorization: 'x' },
        options: { redirect: { allowDowngrade: true } },
      }),
    );
    expect(allowed.url.href).toBe('http://a.test/');
    // Another scheme is another origin: the credentials did not go over plain text.
    expect(inner.requests[2]?.headers.has('authorization')).toBe(false);
  });

  it('refuses a Location with another scheme', async () => {
    const server = redirectServer({ 'http://a.test/': { location: 'file:///etc/passwd' } });
    const error = await rejection(
      withRedirects(createMockTransport(server.handler)).request(createRequest({ url: 'http://a.test/' })),
    );
    expect(error.code).toBe('REDIRECT_REFUSED');
    expect(error.details.scheme).toBe('file');
  });
});

describe('withRedirects: the onRedirect hook', () => {
  it('sees each hop with the proposed next request and the chain so far', async () => {
    const server = redirectServer({
      'http://a.test/1': { location: '/2' },
      'http://a.test/2': { location: 'http://b.test/3' },
    });
    const seen: { from: string; to: string; crossOrigin: boolean; chain: number; status: number }[] = [];
    await withRedirects(createMockTransport(server.handler), {
      onRedirect(hop) {
        seen.push({
          from: hop.request.url.href,
          to: hop.next.url.href,
          crossOrigin: hop.crossOrigin,
          chain: hop.chain.length,
          status: hop.response.status,
        });
      },
    }).request(createRequest({ url: 'http://a.test/1' }));
    expect(seen).toEqual([
      { from: 'http://a.test/1', to: 'http://a.test/2', crossOrigin: false, chain: 0, status: 302 },
      { from: 'http://a.test/2', to: 'http://b.test/3', crossOrigin: true, chain: 1, status: 302 },
    ]);
  });

  it('can replace the next request, e.g. to strip more headers', async () => {
    const server = redirectServer({ 'http://a.test/': { location: '/next' } });
    const inner = createMockTransport(server.handler);
    await withRedirects(inner, {
      onRedirect(hop) {
        const headers = hop.next.headers.clone();
        headers.delete('x-secret');
        return { request: { ...hop.next, headers } };
      },
    }).request(createRequest({ url: 'http://a.test/', headers: { 'X-Secret': 's', Accept: '*/*' } }));
    expect(inner.requests[1]?.headers.names()).toEqual(['accept']);
  });

  it('can stop at another host, handing back the 3xx with its body', async () => {
    const server = redirectServer({ 'http://a.test/': { location: 'http://b.test/' } });
    const inner = createMockTransport(server.handler);
    const response = await withRedirects(inner, {
      onRedirect: (hop) => (hop.crossOrigin ? 'stop' : 'follow'),
    }).request(createRequest({ url: 'http://a.test/' }));
    expect(response.status).toBe(302);
    expect(await response.body.text()).toBe('intermediate body');
    expect(inner.requests).toHaveLength(1);
  });

  it('can refuse, and a throwing hook or a bad verdict is REDIRECT_REFUSED with the body discarded', async () => {
    const cases: { hook: () => unknown; reason: string }[] = [
      { hook: () => 'refuse', reason: 'hook' },
      {
        hook: () => {
          throw new TypeError('boom');
        },
        reason: 'hook-threw',
      },
      { hook: () => 'sideways', reason: 'hook-invalid' },
      { hook: () => ({ request: { url: new URL('ftp://b.test/') } }), reason: 'hook-invalid' },
    ];
    for (const { hook, reason } of cases) {
      const server = redirectServer({ 'http://a.test/': { location: '/b' } });
      const inner = createMockTransport(server.handler);
      const error = await rejection(
        withRedirects(inner, { onRedirect: hook as never }).request(createRequest({ url: 'http://a.test/' })),
      );
      expect(error.code).toBe('REDIRECT_REFUSED');
      expect(error.details.reason).toBe(reason);
      expect(server.responses[0]?.cancelled()).toBe(true);
      expect(inner.requests).toHaveLength(1);
    }
  });

  it('passes an HttpClientError thrown by the hook through as is', async () => {
    const server = redirectServer({ 'http://a.test/': { location: '/b' } });
    const mine = new HttpClientError('LIMIT_EXCEEDED', 'my rule');
    const error = await rejection(
      withRedirects(createMockTransport(server.handler), {
        onRedirect: () => {
          throw mine;
        },
      }).request(createRequest({ url: 'http://a.test/' })),
    );
    expect(error).toBe(mine);
    expect(server.responses[0]?.cancelled()).toBe(true);
  });
});

describe('withRedirects: abort', () => {
  it('stops between hops when the signal fires during one, sending nothing more', async () => {
    const server = redirectServer({ 'http://a.test/': { location: '/b' } });
    const inner = createMockTransport(server.handler);
    const controller = new AbortController();
    const error = await rejection(
      withRedirects(inner, {
        onRedirect: () => {
          controller.abort(new Error('user gave up'));
        },
      }).request(createRequest({ url: 'http://a.test/', signal: controller.signal })),
    );
    expect(error.code).toBe('ABORTED');
    expect((error.cause as Error).message).toBe('user gave up');
    expect(inner.requests).toHaveLength(1);
    expect(server.responses[0]?.cancelled()).toBe(true);
  });

  it('rejects with ABORTED when the signal fires while the next hop waits for its head', async () => {
    const controller = new AbortController();
    let first: TrackedResponse | undefined;
    const inner = createMockTransport((request) => {
      if (request.url.pathname === '/') {
        first = trackedResponse(307, request.url, { Location: '/slow' });
        return first.response;
      }
      // The second hop never answers until aborted.
      return new Promise<HttpResponse>((_resolve, reject) => {
        request.signal?.addEventListener('abort', () =>
          reject(new HttpClientError('ABORTED', 'aborted', { cause: request.signal?.reason })),
        );
        queueMicrotask(() => controller.abort());
      });
    });
    const error = await rejection(
      withRedirects(inner).request(createRequest({ url: 'http://a.test/', signal: controller.signal })),
    );
    expect(error.code).toBe('ABORTED');
    expect(inner.requests).toHaveLength(2);
    expect(first?.cancelled()).toBe(true);
  });

  it('never sends anything when the signal already fired', async () => {
    const inner = createMockTransport(() => ({ status: 200 }));
    const error = await rejection(
      withRedirects(inner).request(createRequest({ url: 'http://a.test/', signal: AbortSignal.abort() })),
    );
    expect(error.code).toBe('ABORTED');
    expect(inner.requests).toHaveLength(0);
  });
});

import {
  type BodySource,
  createMockTransport,
  createRequest,
  HttpClientError,
  type HttpResponse,
  ResponseBody,
} from '@x/core';
import { HeaderList } from '@x/headers';
import { describe, expect, it } from 'vitest';
import { withRedirects } from '../src/index.js';
import { trackedResponse } from './helpers.js';

describe('withRedirects: failures on the way', () => {
  it('passes an inner error on a later hop through, having discarded the earlier body', async () => {
    const first = trackedResponse(302, new URL('http://a.test/'), { Location: 'http://down.test/' });
    const inner = createMockTransport((request) => {
      if (request.url.hostname === 'a.test') return first.response;
      throw new HttpClientError('CONNECT_FAILED', 'connection refused', { requestSent: false });
    });
    const error = await withRedirects(inner)
      .request(createRequest({ url: 'http://a.test/' }))
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    expect(HttpClientError.is(error, 'CONNECT_FAILED')).toBe(true);
    expect((error as HttpClientError).url).toBe('http://down.test/');
    expect(first.cancelled()).toBe(true);
  });

  it('leaves no unhandled rejection when an intermediate response’s trailers fail on cancel', async () => {
    // A transport whose trailers promise rejects when the body is cancelled,
    // and which (unlike createResponse) does not pre-handle that rejection.
    let rejectTrailers: (reason: unknown) => void = () => undefined;
    const trailers = new Promise<HeaderList>((_resolve, reject) => {
      rejectTrailers = reject;
    });
    const source: BodySource = {
      read: async () => null,
      cancel: (reason) => rejectTrailers(new HttpClientError('ABORTED', 'cancelled', { cause: reason })),
    };
    const intermediate: HttpResponse = {
      status: 301,
      reason: 'Moved Permanently',
      httpVersion: '1.1',
      headers: new HeaderList({ Location: '/b' }),
      url: new URL('http://a.test/'),
      body: new ResponseBody(source),
      trailers,
      meta: {},
    };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const inner = createMockTransport((request) =>
        request.url.pathname === '/' ? intermediate : { status: 200, body: 'ok' },
      );
      const response = await withRedirects(inner).request(createRequest({ url: 'http://a.test/' }));
      expect(await response.body.text()).toBe('ok');
      // Give a would-be unhandled rejection the turns it needs to surface.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('keeps concurrent requests apart: chains, limits and stripping are per request', async () => {
    const inner = createMockTransport((request) => {
      const [, name, step] = /^\/(\w+)\/(\d+)$/.exec(request.url.pathname) ?? [];
      if (name === undefined || Number(step) >= 3) return { status: 200, body: request.url.pathname };
      const host = name === 'cross' ? 'http://b.test' : '';
      return { status: 302, headers: { Location: `${host}/${name}/${Number(step) + 1}` } };
    });
    const transport = withRedirects(inner);
    const [same, cross] = await Promise.all([
      transport.request(createRequest({ url: 'http://a.test/same/0', headers: { Authorization: 'a' } })),
      transport.request(createRequest({ url: 'http://a.test/cross/0', headers: { Authorization: 'c' } })),
    ]);
    expect(await same.body.text()).toBe('/same/3');
    expect(await cross.body.text()).toBe('/cross/3');
    expect(same.meta.redirects).toHaveLength(3);
    expect(cross.meta.redirects).toHaveLength(3);
    const finals = inner.requests.filter((request) => request.url.pathname.endsWith('/3'));
    const byName = Object.fromEntries(
      finals.map((request) => [request.url.pathname, request.headers.get('authorization')]),
    );
    expect(byName).toEqual({ '/same/3': 'a', '/cross/3': null });
  });
});

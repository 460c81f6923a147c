import { createMockTransport, createRequest, createResponse, HttpClientError } from '@x/core';
import { describe, expect, it } from 'vitest';
import { withRedirects } from '../src/index.js';
import { trackedResponse } from './helpers.js';

/** SECURITY.md rules 20 and 25 through the redirect layer. */

describe('buffering cap after redirects (rule 20)', () => {
  it('the final response keeps the cap of the transport below', async () => {
    const first = trackedResponse(302, new URL('http://a.test/'), { Location: '/final' });
    const inner = createMockTransport((request) =>
      request.url.pathname === '/final'
        ? createResponse({ status: 200, url: request.url, body: 'x'.repeat(100), bufferLimit: 10 })
        : first.response,
    );
    const response = await withRedirects(inner).request(createRequest({ url: 'http://a.test/' }));
    expect(response.url.pathname).toBe('/final');
    expect(response.body.bufferLimit).toBe(10);
    const error = await response.body.bytes().catch((caught: unknown) => caught);
    expect(HttpClientError.is(error, 'LIMIT_EXCEEDED')).toBe(true);
    expect((error as HttpClientError).details).toMatchObject({ limit: 'bufferLimit', max: 10 });
  });
});

describe('intermediate bodies (rule 25)', () => {
  it('never reads a coded intermediate body, whatever its Content-Encoding claims', async () => {
    const first = trackedResponse(
      301,
      new URL('http://a.test/'),
      { Location: '/final', 'Content-Encoding': 'gzip, br, gzip, br, gzip, br' },
      'not really compressed',
    );
    const inner = createMockTransport((request) =>
      request.url.pathname === '/final' ? { status: 200, body: 'done' } : first.response,
    );
    const response = await withRedirects(inner).request(createRequest({ url: 'http://a.test/' }));
    expect(await response.body.text()).toBe('done');
    expect(first.reads()).toBe(0);
    expect(first.cancelled()).toBe(true);
  });
});

import { createMockTransport, createRequest } from '@x/core';
import { describe, expect, it } from 'vitest';
import { proxy, withProxy } from '../src/index.js';

describe('withProxy over a mock transport', () => {
  const options = {
    http: 'http://user:pw@proxy.test:3128',
    https: 'http://user:pw@proxy.test:3128',
    noProxy: 'direct.test',
  };
  const credentials = `Basic ${Buffer.from('user:pw').toString('base64')}`;

  it('asks for absolute-form and adds Proxy-Authorization for http: through the proxy', async () => {
    const inner = createMockTransport(() => ({ status: 200 }));
    const transport = withProxy(inner, options);
    const request = createRequest({
      url: 'http://origin.test/a',
      headers: { 'proxy-authorization': 'Basic caller' },
    });
    await transport.request(request);
    const seen = inner.requests[0];
    expect(seen?.options.http1?.targetForm).toBe('absolute');
    expect(seen?.headers.getAll('proxy-authorization')).toEqual([credentials]);
    // the caller's request is untouched
    expect(request.headers.get('proxy-authorization')).toBe('Basic caller');
    expect(request.options.http1).toBeUndefined();
    await transport.close();
    expect(inner.closed).toBe(true);
  });

  it('strips Proxy-Authorization from tunnelled and direct requests: it would reach the origin', async () => {
    const inner = createMockTransport(() => ({ status: 200 }));
    const transport = proxy(options)(inner);
    await transport.request(
      createRequest({ url: 'https://origin.test/', headers: { 'Proxy-Authorization': 'Basic caller' } }),
    );
    await transport.request(
      createRequest({ url: 'http://direct.test/', headers: { 'Proxy-Authorization': 'Basic caller' } }),
    );
    for (const seen of inner.requests) {
      expect(seen.headers.has('proxy-authorization')).toBe(false);
      expect(seen.options.http1?.targetForm).toBeUndefined();
    }
  });

  it('passes a request with nothing to change through as the same object', async () => {
    const inner = createMockTransport(() => ({ status: 204 }));
    const request = createRequest({ url: 'https://origin.test/' });
    await withProxy(inner, options).request(request);
    expect(inner.requests[0]?.url).toBe(request.url);
  });

  it('keeps other http1 options while setting the target form', async () => {
    const inner = createMockTransport(() => ({ status: 200 }));
    await withProxy(inner, options).request(
      createRequest({ url: 'http://origin.test/', options: { http1: { expectContinueTimeout: 5 } } }),
    );
    expect(inner.requests[0]?.options.http1).toEqual({ expectContinueTimeout: 5, targetForm: 'absolute' });
  });
});

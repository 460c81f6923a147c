import { describe, expect, it } from 'vitest';
import {
  createRequest,
  DEFAULT_BUFFER_LIMIT,
  HttpClientError,
  type RequestOptions,
  ResponseBody,
  withRequestChanges,
} from '../src/index.js';

/**
 * SECURITY.md rules 1, 2, 4 and 20 as core enforces them. Each test would
 * fail if the protection it names were removed.
 */

const prototype = Object.prototype as Record<string, unknown>;

/** Runs `action` with `Object.prototype[key] = value`, always cleaning up. */
async function withPollutedPrototype(
  entries: Record<string, unknown>,
  action: () => unknown | Promise<unknown>,
): Promise<void> {
  for (const [key, value] of Object.entries(entries)) prototype[key] = value;
  try {
    await action();
  } finally {
    for (const key of Object.keys(entries)) delete prototype[key];
  }
}

function thrown(action: () => unknown): HttpClientError {
  try {
    action();
  } catch (error) {
    expect(HttpClientError.is(error)).toBe(true);
    return error as HttpClientError;
  }
  throw new Error('expected a throw');
}

describe('rule 1: nothing unvalidated reaches a request', () => {
  it.each([
    ['a NUL in a header value', { headers: { 'X-A': 'a\0b' } }],
    ['a bare CR in a header value', { headers: { 'X-A': 'a\rb' } }],
    ['a CRLF in Host', { headers: { Host: 'a.test\r\nX-Injected: 1' } }],
    ['a CRLF in Content-Type', { headers: { 'Content-Type': 'text/plain\r\n\r\nGET / HTTP/1.1' } }],
    ['a NUL in the method', { method: 'GET\0' }],
    ['a non-string method', { method: 42 as unknown as string }],
  ])('refuses %s with INVALID_REQUEST, requestSent false', (_label, init) => {
    const error = thrown(() => createRequest({ url: 'http://a.test/', ...init }));
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.requestSent).toBe(false);
  });
});

describe('rule 2: the request target comes from a parsed URL', () => {
  it('percent-encodes non-ASCII path and query as UTF-8', () => {
    const request = createRequest({ url: 'http://a.test/caf\u00e9?q=\u2603' });
    expect(request.url.pathname).toBe('/caf%C3%A9');
    expect(request.url.search).toBe('?q=%E2%98%83');
  });

  it('keeps a //host/ path a path on the original host', () => {
    const request = createRequest({ url: 'http://a.test//evil.test/x' });
    expect(request.url.host).toBe('a.test');
    expect(request.url.pathname).toBe('//evil.test/x');
  });

  it('refuses a URL without a host or with a scheme other than http(s)', () => {
    for (const url of ['http://', 'ftp://a.test/', 'data:text/plain,x']) {
      expect(thrown(() => createRequest({ url })).code).toBe('INVALID_REQUEST');
    }
  });
});

describe('rule 4: a polluted Object.prototype changes nothing', () => {
  it('request.options holds only the caller’s own keys', async () => {
    await withPollutedPrototype({ retry: { methods: ['POST'] }, decode: false, timeout: 1 }, () => {
      const request = createRequest({
        url: 'http://a.test/',
        options: { redirect: { mode: 'manual' } } as RequestOptions,
      });
      const options = request.options as Record<string, unknown>;
      expect(options.retry).toBeUndefined();
      expect(options.decode).toBeUndefined();
      expect(options.timeout).toBeUndefined();
      expect(options.redirect).toEqual({ mode: 'manual' });
      expect(Object.isFrozen(request.options)).toBe(true);
    });
  });

  it('withRequestChanges copies new options the same way', async () => {
    const original = createRequest({ url: 'http://a.test/' });
    await withPollutedPrototype({ retry: { methods: ['POST'] } }, () => {
      const changed = withRequestChanges(original, {
        options: { ...original.options, extra: 1 } as RequestOptions,
      });
      const options = changed.options as Record<string, unknown>;
      expect(options.retry).toBeUndefined();
      expect(options.extra).toBe(1);
      expect(Object.isFrozen(changed.options)).toBe(true);
    });
  });

  it('bytes() keeps its cap when Object.prototype.limit is set', async () => {
    await withPollutedPrototype({ limit: Number.MAX_SAFE_INTEGER }, async () => {
      const body = ResponseBody.from(['0123', '456789'], { bufferLimit: 4 });
      const error = await body.bytes().catch((caught: unknown) => caught);
      expect(HttpClientError.is(error, 'LIMIT_EXCEEDED')).toBe(true);
      expect((error as HttpClientError).details).toMatchObject({ limit: 'bufferLimit', max: 4 });
    });
  });
});

describe('rule 20: buffering helpers are capped by default', () => {
  it('exposes the cap a wrapping layer must carry over', () => {
    expect(ResponseBody.from('x').bufferLimit).toBe(DEFAULT_BUFFER_LIMIT);
    expect(ResponseBody.from('x', { bufferLimit: 10 }).bufferLimit).toBe(10);
  });

  it('keeps the 64 MiB cap and no declared length when Object.prototype.bufferLimit and length are set', async () => {
    await withPollutedPrototype({ bufferLimit: Number.POSITIVE_INFINITY, length: 1 }, async () => {
      const body = ResponseBody.from('0123456789');
      expect(body.bufferLimit).toBe(DEFAULT_BUFFER_LIMIT);
      expect(body.length).toBeNull();
      expect(ResponseBody.empty({}).bufferLimit).toBe(DEFAULT_BUFFER_LIMIT);
      expect(new TextDecoder().decode(await body.bytes())).toBe('0123456789');
    });
  });

  it('never reads a cap that is not a number ≥ 0 as no cap', async () => {
    for (const bufferLimit of [Number.NaN, -1, '4' as unknown as number]) {
      expect(ResponseBody.from('x', { bufferLimit }).bufferLimit).toBe(DEFAULT_BUFFER_LIMIT);
    }
    const body = ResponseBody.from(['0123', '456789'], { bufferLimit: 4 });
    const error = await body.bytes({ limit: Number.NaN }).catch((caught: unknown) => caught);
    expect(HttpClientError.is(error, 'LIMIT_EXCEEDED')).toBe(true);
    expect((error as HttpClientError).details).toMatchObject({ limit: 'bufferLimit', max: 4 });
  });

  it('text() and json() refuse past the cap with LIMIT_EXCEEDED', async () => {
    const text = ResponseBody.from('{"a":"0123456789"}', { bufferLimit: 8 });
    expect(HttpClientError.is(await text.text().catch((error: unknown) => error), 'LIMIT_EXCEEDED')).toBe(
      true,
    );
    const json = ResponseBody.from('{"a":"0123456789"}', { bufferLimit: 8 });
    expect(HttpClientError.is(await json.json().catch((error: unknown) => error), 'LIMIT_EXCEEDED')).toBe(
      true,
    );
  });
});

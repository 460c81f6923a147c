import {
  bytesBody,
  createRequest,
  HttpClientError,
  type HttpRequest,
  streamBody,
  withRequestChanges,
} from '@x/core';
import { HeaderList } from '@x/headers';
import { describe, expect, it } from 'vitest';
import { serializeRequestHead } from '../src/index.js';

function head(request: HttpRequest, connectionClose = false): string {
  return serializeRequestHead(request, { connectionClose }).head.toString('latin1');
}

function refusal(request: HttpRequest): HttpClientError {
  try {
    serializeRequestHead(request);
  } catch (error) {
    expect(HttpClientError.is(error, 'INVALID_REQUEST')).toBe(true);
    expect((error as HttpClientError).requestSent).toBe(false);
    return error as HttpClientError;
  }
  throw new Error('expected a refusal');
}

async function* chunks(...parts: string[]) {
  for (const part of parts) yield new TextEncoder().encode(part);
}

describe('serializeRequestHead', () => {
  it('writes origin-form, Host from the URL, caller headers in order, no fragment or userinfo', () => {
    const request = createRequest({
      url: 'http://user:pw@Example.COM:8080/a%20b/ü?q=1#frag',
      headers: [
        ['X-One', '1'],
        ['accept', 'text/plain'],
      ],
    });
    expect(head(request)).toBe(
      'GET /a%20b/%C3%BC?q=1 HTTP/1.1\r\nHost: example.com:8080\r\nX-One: 1\r\naccept: text/plain\r\n\r\n',
    );
  });

  it('keeps a //host/ path a path', () => {
    expect(head(createRequest({ url: 'http://a.test//evil.test/x' }))).toMatch(
      /^GET \/\/evil\.test\/x HTTP\/1\.1\r\n/,
    );
  });

  it('writes absolute-form for proxies and authority-form for CONNECT', () => {
    const proxied = createRequest({
      url: 'http://u:p@a.test/x?y',
      options: { http1: { targetForm: 'absolute' } },
    });
    expect(head(proxied)).toMatch(/^GET http:\/\/a\.test\/x\?y HTTP\/1\.1\r\n/);
    expect(head(createRequest({ method: 'CONNECT', url: 'https://a.test' }))).toMatch(
      /^CONNECT a\.test:443 HTTP\/1\.1\r\n/,
    );
  });

  it('frames known lengths with Content-Length and unknown ones with chunked', () => {
    const known = serializeRequestHead(
      createRequest({ method: 'POST', url: 'http://a.test/', body: 'hello' }),
    );
    expect(known.framing).toEqual({ kind: 'length', length: 5 });
    expect(known.head.toString()).toContain('Content-Length: 5\r\n');
    const streamed = serializeRequestHead(
      createRequest({ method: 'PUT', url: 'http://a.test/', body: streamBody(chunks('a')) }),
    );
    expect(streamed.framing).toEqual({ kind: 'chunked' });
    expect(streamed.head.toString()).toContain('Transfer-Encoding: chunked\r\n');
  });

  it('says Content-Length: 0 for a bodiless POST and nothing for a GET', () => {
    expect(head(createRequest({ method: 'POST', url: 'http://a.test/' }))).toContain('Content-Length: 0\r\n');
    expect(head(createRequest({ url: 'http://a.test/' }))).not.toContain('Content-Length');
  });

  it('uses a caller Content-Length for a stream of unknown length', () => {
    const request = createRequest({
      method: 'PUT',
      url: 'http://a.test/',
      headers: { 'content-length': '3' },
      body: streamBody(chunks('abc')),
    });
    expect(serializeRequestHead(request).framing).toEqual({ kind: 'length', length: 3 });
  });

  it('refuses framing headers that disagree with the body or repeat', () => {
    refusal(
      createRequest({
        method: 'POST',
        url: 'http://a.test/',
        headers: { 'content-length': '4' },
        body: 'hello',
      }),
    );
    refusal(createRequest({ url: 'http://a.test/', headers: { 'content-length': '4' } }));
    refusal(
      createRequest({
        method: 'POST',
        url: 'http://a.test/',
        headers: [
          ['content-length', '5'],
          ['Content-Length', '5'],
        ],
        body: 'hello',
      }),
    );
    refusal(
      createRequest({
        method: 'POST',
        url: 'http://a.test/',
        headers: { 'transfer-encoding': 'gzip' },
        body: 'x',
      }),
    );
    refusal(
      createRequest({
        method: 'POST',
        url: 'http://a.test/',
        headers: { 'transfer-encoding': 'chunked', 'content-length': '1' },
        body: 'x',
      }),
    );
  });

  it('refuses CR, LF and NUL smuggled past HeaderList and a method that is not a token', () => {
    const request = createRequest({ url: 'http://a.test/' });
    // HeaderList validates on every mutation; fromRaw trusts its input, so use it to forge a bad list.
    for (const raw of [
      ['X-A', 'a\r\nInjected: 1'],
      ['X-A', 'a\nb'],
      ['X-A', 'a\0b'],
      ['Bad Name', 'x'],
      ['Host', 'a.test\r\nX: y'],
    ]) {
      refusal(withRequestChanges(request, { headers: HeaderList.fromRaw(raw) }));
    }
    refusal(withRequestChanges(request, { method: 'GET /x HTTP/1.1\r\n' }));
    refusal(withRequestChanges(request, { method: '' }));
  });

  it('sends Expect: 100-continue only with content, and reports it', () => {
    const withBody = serializeRequestHead(
      createRequest({
        method: 'PUT',
        url: 'http://a.test/',
        headers: { expect: '100-continue' },
        body: bytesBody(new Uint8Array(3)),
      }),
    );
    expect(withBody.expectContinue).toBe(true);
    expect(withBody.head.toString()).toContain('Expect: 100-continue\r\n');
    const bodiless = serializeRequestHead(
      createRequest({ url: 'http://a.test/', headers: { expect: '100-continue' } }),
    );
    expect(bodiless.expectContinue).toBe(false);
    expect(bodiless.head.toString()).not.toContain('Expect');
  });

  it('adds Connection: close when asked, unless the caller set Connection', () => {
    expect(head(createRequest({ url: 'http://a.test/' }), true)).toContain('Connection: close\r\n');
    const own = serializeRequestHead(
      createRequest({ url: 'http://a.test/', headers: { connection: 'close' } }),
    );
    expect(own.closeRequested).toBe(true);
  });

  it('forces chunked framing when trailers are requested', () => {
    const request = createRequest({
      method: 'POST',
      url: 'http://a.test/',
      body: 'abc',
      options: { http1: { trailers: { 'x-sum': '1' } } },
    });
    expect(serializeRequestHead(request).framing).toEqual({ kind: 'chunked' });
  });
});

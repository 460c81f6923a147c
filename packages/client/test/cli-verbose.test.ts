import { createMockTransport, createRequest, HttpClientError, textBody } from '@x/core';
import { HeaderList } from '@x/headers';
import { describe, expect, it } from 'vitest';
import {
  formatRequestHead,
  formatResponseHead,
  REDACTED,
  redactFieldValue,
  withVerboseHeads,
} from '../src/cli-verbose.js';

describe('redactFieldValue', () => {
  it('keeps the scheme of Authorization and Proxy-Authorization, never the credentials', () => {
    expect(redactFieldValue('Authorization', 'Basic YWxhZGRpbjpvcGVu')).toBe(`Basic ${REDACTED}`);
    expect(redactFieldValue('proxy-authorization', 'Bearer abc.def')).toBe(`Bearer ${REDACTED}`);
    expect(redactFieldValue('AUTHORIZATION', 'token-without-scheme')).toBe(REDACTED);
  });

  it('keeps cookie names and Set-Cookie attributes, never values', () => {
    expect(redactFieldValue('Cookie', 'a=1; session=secret')).toBe(`a=${REDACTED}; session=${REDACTED}`);
    expect(redactFieldValue('Cookie', 'nameless')).toBe(`=${REDACTED}`);
    expect(redactFieldValue('Set-Cookie', 'id=secret; Path=/; Secure')).toBe(
      `id=${REDACTED}; Path=/; Secure`,
    );
    expect(redactFieldValue('set-cookie', 'id=secret')).toBe(`id=${REDACTED}`);
  });

  it('leaves other fields alone', () => {
    expect(redactFieldValue('X-Api-Key-Hint', 'visible')).toBe('visible');
    expect(redactFieldValue('Content-Type', 'text/plain')).toBe('text/plain');
  });
});

describe('verbose heads', () => {
  it('formats a serialized request head and a response head with prefixes', () => {
    expect(formatRequestHead('GET / HTTP/1.1\r\nHost: h\r\nCookie: a=1\r\n\r\n')).toBe(
      `> GET / HTTP/1.1\n> Host: h\n> Cookie: a=${REDACTED}\n>\n`,
    );
    const headers = new HeaderList([['Set-Cookie', 'a=1; Path=/']]);
    expect(formatResponseHead('1.1', 404, 'Not Found', headers)).toBe(
      `< HTTP/1.1 404 Not Found\n< Set-Cookie: a=${REDACTED}; Path=/\n<\n`,
    );
    expect(formatResponseHead('1.0', 204, '', new HeaderList())).toBe('< HTTP/1.0 204\n<\n');
  });

  it('writes each exchange as the protocol would serialize it, passing request and response through untouched', async () => {
    const mock = createMockTransport(() => ({
      status: 201,
      reason: 'Created',
      headers: { 'X-Id': '7' },
      body: 'ok',
    }));
    const lines: string[] = [];
    const tap = withVerboseHeads(mock, (text) => lines.push(text));
    const request = createRequest({
      method: 'PUT',
      url: 'http://example.test:8080/items?x=1',
      headers: { Authorization: 'Basic c2VjcmV0', 'X-Trace': '1' },
      body: textBody('hello'),
    });
    const response = await tap.request(request);
    expect(await response.body.text()).toBe('ok');
    expect(mock.requests[0]?.headers.get('authorization')).toBe('Basic c2VjcmV0');
    expect(lines.join('')).toBe(
      [
        '> PUT /items?x=1 HTTP/1.1',
        '> Host: example.test:8080',
        `> Authorization: Basic ${REDACTED}`,
        '> X-Trace: 1',
        '> Content-Length: 5',
        '>',
        '< HTTP/1.1 201 Created',
        '< X-Id: 7',
        '<',
        '',
      ].join('\n'),
    );
    await tap.close();
    expect(mock.closed).toBe(true);
  });

  it('writes no response head when the exchange fails, and passes the error on', async () => {
    const failure = new HttpClientError('CONNECT_FAILED', 'refused', { requestSent: false });
    const mock = createMockTransport(() => {
      throw failure;
    });
    const lines: string[] = [];
    const tap = withVerboseHeads(mock, (text) => lines.push(text));
    await expect(tap.request(createRequest({ url: 'http://example.test/' }))).rejects.toMatchObject({
      code: 'CONNECT_FAILED',
      message: 'refused',
    });
    expect(lines).toEqual(['> GET / HTTP/1.1\n> Host: example.test\n>\n']);
    await tap.close();
  });
});

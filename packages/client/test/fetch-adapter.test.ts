import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockTransport, createRequest, HttpClientError } from '@x/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromFetch, toFetch } from '../src/index.js';

describe('toFetch', () => {
  it('maps a fetch call to a transport request and the response back', async () => {
    const transport = createMockTransport((request) => ({
      status: 201,
      reason: 'Made',
      headers: [
        ['Content-Type', 'application/json'],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
      ],
      body: JSON.stringify({
        method: request.method,
        got: new TextDecoder().decode(request.bodyBytes ?? new Uint8Array()),
      }),
    }));
    const fetch = toFetch(transport);
    const response = await fetch('http://127.0.0.1/items?x=1', {
      method: 'POST',
      headers: { 'X-Custom': 'v' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made');
    expect(response.url).toBe('http://127.0.0.1/items?x=1');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ method: 'POST', got: '{"a":1}' });
    const recorded = transport.requests[0]!;
    expect(recorded.headers.get('x-custom')).toBe('v');
    expect(recorded.headers.get('content-type')).toBe('text/plain;charset=UTF-8');
    expect(recorded.body?.replayable).toBe(true);
    expect(recorded.options).toMatchObject({ redirect: { mode: 'follow' } });
  });

  it('passes redirect: manual and error through as the redirect mode', async () => {
    const transport = createMockTransport(() => ({}));
    const fetch = toFetch(transport);
    await fetch('http://h/', { redirect: 'manual' });
    await fetch('http://h/', { redirect: 'error' });
    expect(transport.requests.map((request) => request.options)).toMatchObject([
      { redirect: { mode: 'manual' } },
      { redirect: { mode: 'error' } },
    ]);
  });

  it('gives null-body statuses a null body', async () => {
    const fetch = toFetch(createMockTransport(() => ({ status: 204 })));
    const response = await fetch('http://h/');
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('rejects with the abort reason when aborted, like fetch', async () => {
    const fetch = toFetch(createMockTransport(() => ({ delay: 10_000 })));
    const controller = new AbortController();
    const pending = fetch('http://h/', { signal: controller.signal });
    const reason = new DOMException('stop', 'AbortError');
    setImmediate(() => controller.abort(reason));
    await expect(pending).rejects.toBe(reason);
  });

  it('rejects other failures as TypeError("fetch failed") with the HttpClientError as cause', async () => {
    const fetch = toFetch(
      createMockTransport(() => {
        throw new HttpClientError('CONNECT_FAILED', 'refused', { requestSent: false });
      }),
    );
    const error = await fetch('http://h/').catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('fetch failed');
    expect(HttpClientError.is(error.cause, 'CONNECT_FAILED')).toBe(true);
  });

  it('refuses header injection before anything is sent', async () => {
    const transport = createMockTransport(() => ({}));
    const error = await toFetch(transport)('http://h/', { method: 'GET /x HTTP/1.1\r\n' }).catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(transport.requests).toHaveLength(0);
  });
});

describe('fromFetch over the platform fetch, on 127.0.0.1', () => {
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.url === '/redirect') {
          response.writeHead(302, { Location: '/elsewhere' }).end();
          return;
        }
        response.setHeader('Set-Cookie', ['a=1', 'b=2']);
        response.writeHead(200, { 'Content-Type': 'text/plain', 'X-Method': request.method ?? '' });
        response.end(`echo:${Buffer.concat(chunks).toString()}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends method, headers and a streamed body, and returns status, headers and body', async () => {
    const transport = fromFetch(globalThis.fetch);
    const response = await transport.request(
      createRequest({ method: 'PUT', url: `${origin}/x#frag`, body: 'payload' }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-method')).toBe('PUT');
    expect(response.headers.getAll('set-cookie')).toEqual(['a=1', 'b=2']);
    expect(await response.body.text()).toBe('echo:payload');
    expect((await response.trailers).size).toBe(0);
    await transport.close();
  });

  it('returns redirects as they are, for the redirect layer to handle', async () => {
    const response = await fromFetch(globalThis.fetch).request(createRequest({ url: `${origin}/redirect` }));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/elsewhere');
  });

  it('round-trips: toFetch(fromFetch(fetch)) behaves like fetch', async () => {
    const fetch = toFetch(fromFetch(globalThis.fetch));
    const response = await fetch(`${origin}/y`, { method: 'POST', body: 'abc' });
    expect(await response.text()).toBe('echo:abc');
  });

  it('maps a refused connection to a typed error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await fromFetch(globalThis.fetch)
      .request(createRequest({ url: `http://127.0.0.1:${port}/` }))
      .catch((e) => e);
    expect(HttpClientError.is(error, 'CONNECTION_CLOSED')).toBe(true);
    expect(error.requestSent).toBe(true);
  });
});

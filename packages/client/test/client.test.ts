import { createMockTransport, HttpClientError, type HttpTransport, type Layer } from '@x/core';
import { describe, expect, it } from 'vitest';
import { type CreateClientOptions, createClient, DEFAULT_TIMEOUTS } from '../src/index.js';

const text = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes ?? new Uint8Array());

async function rejection(promise: Promise<unknown>): Promise<HttpClientError> {
  try {
    await promise;
  } catch (error) {
    if (HttpClientError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

function mockClient(handler: Parameters<typeof createMockTransport>[0], options: CreateClientOptions = {}) {
  const transport = createMockTransport(handler);
  const client = createClient({ retry: false, ...options, transport });
  return { transport, client };
}

describe('createClient', () => {
  it('sends default headers, letting a request field of the same name (any case) replace them', async () => {
    const { transport, client } = mockClient(() => ({ body: 'ok' }), {
      baseUrl: 'http://api.test/v1/',
      headers: { 'X-Team': 'core', Accept: 'text/plain' },
    });
    const response = await client.get('items', {
      headers: { accept: 'application/xml' },
      query: { page: 2 },
    });
    expect(await response.body.text()).toBe('ok');
    const sent = transport.requests[0];
    expect(sent?.url.href).toBe('http://api.test/v1/items?page=2');
    expect(sent?.headers.get('x-team')).toBe('core');
    expect(sent?.headers.getAll('accept')).toEqual(['application/xml']);
    await client.close();
  });

  it('encodes json bodies with their Content-Type and asks for JSON back', async () => {
    const { transport, client } = mockClient((request) => ({
      status: 201,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ echoed: JSON.parse(text(request.bodyBytes)) }),
    }));
    const created = await client.json<{ echoed: unknown }>({
      method: 'POST',
      url: 'http://api.test/things',
      json: { name: 'x', tags: [1, 2] },
    });
    expect(created).toEqual({ echoed: { name: 'x', tags: [1, 2] } });
    const sent = transport.requests[0];
    expect(sent?.method).toBe('POST');
    expect(sent?.headers.get('content-type')).toBe('application/json');
    expect(sent?.headers.get('accept')).toBe('application/json');
    expect(sent?.body?.replayable).toBe(true);
    await client.close();
  });

  it('fills Content-Type from the body kind unless the caller set one', async () => {
    const { transport, client } = mockClient(() => ({}));
    await client.post('http://h.test/', { body: new URLSearchParams({ a: '1' }) });
    await client.post('http://h.test/', { body: 'x', headers: { 'Content-Type': 'text/csv' } });
    expect(transport.requests[0]?.headers.get('content-type')).toBe(
      'application/x-www-form-urlencoded;charset=UTF-8',
    );
    expect(transport.requests[1]?.headers.getAll('content-type')).toEqual(['text/csv']);
    await client.close();
  });

  it('refuses body and json together, and bad methods, before anything is sent', async () => {
    const { transport, client } = mockClient(() => ({}));
    const both = await rejection(client.post('http://h.test/', { body: 'a', json: { b: 1 } }));
    expect(both.code).toBe('INVALID_REQUEST');
    expect(both.requestSent).toBe(false);
    expect((await rejection(client.request({ method: 'GE T', url: 'http://h.test/' }))).code).toBe(
      'INVALID_REQUEST',
    );
    expect((await rejection(client.get('http://h.test/', { headers: { 'X-A': 'a\r\nb' } }))).code).toBe(
      'INVALID_REQUEST',
    );
    expect(transport.requests).toHaveLength(0);
    await client.close();
  });

  it('turns invalid header input into INVALID_REQUEST in every helper', async () => {
    const { transport, client } = mockClient(() => ({}));
    const bad = { 'X-Bad': 'a\nb' };
    expect((await rejection(client.getJson('http://h.test/', { headers: bad }))).code).toBe(
      'INVALID_REQUEST',
    );
    expect((await rejection(client.range('http://h.test/', { start: 0 }, { headers: bad }))).code).toBe(
      'INVALID_REQUEST',
    );
    expect(
      (await rejection(client.download('http://h.test/', '/nonexistent/x', { headers: bad }))).code,
    ).toBe('INVALID_REQUEST');
    expect((await rejection(client.range('http://h.test/', { start: 5, end: 2 }))).code).toBe(
      'INVALID_REQUEST',
    );
    expect(() => createClient({ transport, headers: { 'Bad Name': 'x' } })).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST' }),
    );
    expect(transport.requests).toHaveLength(0);
    await client.close();
  });

  it('maps timeouts: a number is the total deadline, phases merge over the client defaults', async () => {
    const { transport, client } = mockClient(() => ({}), { timeout: { headers: 5000 } });
    await client.get('http://h.test/a', { timeout: 1500 });
    await client.get('http://h.test/b', { timeout: { bodyIdle: 700 } });
    expect(transport.requests[0]?.options.timeout).toEqual({
      ...DEFAULT_TIMEOUTS,
      headers: 5000,
      total: 1500,
    });
    expect(transport.requests[1]?.options.timeout).toEqual({
      ...DEFAULT_TIMEOUTS,
      headers: 5000,
      bodyIdle: 700,
    });
    expect((await rejection(client.get('http://h.test/', { timeout: -1 }))).code).toBe('INVALID_REQUEST');
    expect((await rejection(client.get('http://h.test/', { timeout: Number.NaN }))).code).toBe(
      'INVALID_REQUEST',
    );
    await client.close();
  });

  it('returns a 404 as a response, and rejects with HTTP_STATUS only when asked', async () => {
    const { client } = mockClient(() => ({ status: 404, body: '{"error":"no such thing"}' }));
    const response = await client.get('http://h.test/missing');
    expect(response.status).toBe(404);
    await response.body.cancel();
    const error = await rejection(client.get('http://h.test/missing', { throwOnStatus: true }));
    expect(error.code).toBe('HTTP_STATUS');
    expect(error.details).toMatchObject({ status: 404, body: '{"error":"no such thing"}' });
    const viaJson = await rejection(client.getJson('http://h.test/missing'));
    expect(viaJson.details.status).toBe(404);
    await client.close();
  });

  it('throwOnStatus as a client default can be turned off per request', async () => {
    const { client } = mockClient(() => ({ status: 500 }), { throwOnStatus: true });
    expect((await rejection(client.get('http://h.test/'))).code).toBe('HTTP_STATUS');
    const response = await client.get('http://h.test/', { throwOnStatus: false });
    expect(response.status).toBe(500);
    await client.close();
  });

  it('an own throwOnStatus: undefined turns the client default off too, an inherited one changes nothing', async () => {
    const { client } = mockClient(() => ({ status: 500 }), { throwOnStatus: true });
    expect((await client.request({ url: 'http://h.test/', throwOnStatus: undefined })).status).toBe(500);
    const inherited = Object.create({ throwOnStatus: false }) as { url: string };
    inherited.url = 'http://h.test/';
    expect((await rejection(client.request(inherited))).code).toBe('HTTP_STATUS');
    await client.close();
  });

  it('gives every request its own copy of the default fields, in their order, whatever the request gives', async () => {
    const { transport, client } = mockClient(() => ({}), {
      headers: { 'X-One': '1', 'X-Two': '2' },
      userAgent: 'agent/1',
      decode: false,
    });
    await client.get('http://h.test/a');
    await client.get('http://h.test/b', { headers: {} });
    await client.get('http://h.test/c', { headers: [['X-Three', '3']] });
    await client.get('http://h.test/d', { headers: { 'x-two': 'two' } });
    const [first, second, third, fourth] = transport.requests;
    expect([...(first?.headers ?? [])]).toEqual([
      ['X-One', '1'],
      ['X-Two', '2'],
      ['User-Agent', 'agent/1'],
    ]);
    expect([...(second?.headers ?? [])]).toEqual([...(first?.headers ?? [])]);
    expect(second?.headers).not.toBe(first?.headers);
    expect([...(third?.headers ?? [])]).toEqual([
      ['X-One', '1'],
      ['X-Two', '2'],
      ['User-Agent', 'agent/1'],
      ['X-Three', '3'],
    ]);
    expect([...(fourth?.headers ?? [])]).toEqual([
      ['X-One', '1'],
      ['User-Agent', 'agent/1'],
      ['x-two', 'two'],
    ]);
    // A layer below that broke the contract and changed one request's fields changes no later request.
    first?.headers.set('X-One', 'changed');
    await client.get('http://h.test/e');
    expect(transport.requests[4]?.headers.get('x-one')).toBe('1');
    await client.close();
  });

  it('getJson: INVALID_BODY for invalid JSON, undefined for 204', async () => {
    const { client } = mockClient((request) =>
      request.url.pathname === '/empty' ? { status: 204 } : { body: '{not json' },
    );
    expect((await rejection(client.getJson('http://h.test/bad'))).code).toBe('INVALID_BODY');
    expect(await client.getJson('http://h.test/empty')).toBeUndefined();
    await client.close();
  });

  it('follows redirects over the base transport with the default redirect layer', async () => {
    const { transport, client } = mockClient((request) =>
      request.url.pathname === '/old'
        ? { status: 301, headers: { Location: '/new' } }
        : { body: 'moved here' },
    );
    const response = await client.get('http://h.test/old');
    expect(response.url.href).toBe('http://h.test/new');
    expect(await response.body.text()).toBe('moved here');
    expect(response.meta.redirects).toHaveLength(1);
    const manual = await client.get('http://h.test/old', { options: { redirect: { mode: 'manual' } } });
    expect(manual.status).toBe(301);
    expect(transport.requests).toHaveLength(3);
    await client.close();
  });

  it('retries a safe request after a dropped connection', async () => {
    let calls = 0;
    const transport = createMockTransport(() => {
      calls++;
      if (calls === 1) throw new HttpClientError('CONNECTION_CLOSED', 'reset', { requestSent: true });
      return { body: 'second time' };
    });
    const client = createClient({ transport, retry: { baseDelay: 1, maxDelay: 1 } });
    const response = await client.get('http://h.test/');
    expect(await response.body.text()).toBe('second time');
    expect(response.meta.retry?.attempts).toBe(2);
    await client.close();
  });

  it('lets a layers function see the default layers by name and add its own', async () => {
    const seen: string[] = [];
    const tagging: Layer = (inner: HttpTransport) => ({
      request: (request) => {
        seen.push(request.headers.get('accept-encoding') ?? 'none');
        return inner.request(request);
      },
      close: () => inner.close(),
    });
    let names: string[] = [];
    const { client } = mockClient(() => ({}), {
      cache: {},
      layers: (defaults) => {
        names = defaults.map((entry) => entry.name);
        // Outermost: sees the request before decode adds Accept-Encoding.
        return [...defaults, tagging];
      },
    });
    await client.get('http://h.test/');
    expect(names).toEqual(['decode', 'cache', 'redirect', 'deadline']); // retry: false in mockClient
    expect(seen).toEqual(['none']);
    await client.close();
  });

  it('an array of layers replaces the defaults', async () => {
    const { transport, client } = mockClient(() => ({ status: 302, headers: { Location: '/x' } }), {
      layers: [],
    });
    const response = await client.get('http://h.test/');
    expect(response.status).toBe(302);
    expect(transport.requests[0]?.headers.has('accept-encoding')).toBe(false);
    await client.close();
  });

  it('aborts with the caller signal', async () => {
    const { client } = mockClient(() => ({ delay: 60_000 }));
    const controller = new AbortController();
    const pending = client.get('http://h.test/', { signal: controller.signal });
    // Abort once the mock is waiting (its delay only listens from then on).
    setTimeout(() => controller.abort(new Error('user gave up')), 5);
    const error = await rejection(pending);
    expect(error.code).toBe('ABORTED');
    await client.close();
  });

  it('close() closes the stack and refuses later requests', async () => {
    const { transport, client } = mockClient(() => ({}));
    await client.close();
    expect(transport.closed).toBe(true);
    const error = await rejection(client.get('http://h.test/'));
    expect(error.code).toBe('TRANSPORT_CLOSED');
    expect(error.requestSent).toBe(false);
  });
});

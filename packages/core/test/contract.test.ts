import { Readable } from 'node:stream';
import { HeaderList, InvalidHeaderError } from '@x/headers';
import { describe, expect, it } from 'vitest';
import {
  bytesBody,
  compose,
  connectTargetFor,
  createManualClock,
  createMockTransport,
  createRequest,
  createResponse,
  HttpClientError,
  type HttpTransport,
  jsonBody,
  type Layer,
  originKey,
  streamBody,
  toRequestBody,
  withRequestChanges,
} from '../src/index.js';

async function rejection(promise: Promise<unknown>): Promise<HttpClientError> {
  try {
    await promise;
  } catch (error) {
    expect(HttpClientError.is(error)).toBe(true);
    return error as HttpClientError;
  }
  throw new Error('expected a rejection');
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

async function drain(iterable: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of iterable) text += new TextDecoder().decode(chunk);
  return text;
}

describe('HttpClientError', () => {
  it('carries code, method, redacted url, requestSent, phase, rule, details and cause', () => {
    const cause = new Error('socket hang up');
    const error = new HttpClientError('TIMEOUT', 'headers took too long', {
      method: 'POST',
      url: 'https://user:secret@example.test/path?q=1',
      requestSent: true,
      phase: 'headers',
      rule: undefined,
      details: { timeout: 5000 },
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('TIMEOUT');
    expect(error.method).toBe('POST');
    expect(error.url).toBe('https://example.test/path?q=1');
    expect(error.message).not.toContain('secret');
    expect(error.requestSent).toBe(true);
    expect(error.phase).toBe('headers');
    expect(error.details).toEqual({ timeout: 5000 });
    expect(error.cause).toBe(cause);
    expect(JSON.stringify(error)).not.toContain('secret');
  });

  it('defaults requestSent to true, the safe answer for retries', () => {
    expect(new HttpClientError('CONNECTION_CLOSED', 'x').requestSent).toBe(true);
  });

  it('is() recognises errors by brand across copies, and filters by code', () => {
    const error = new HttpClientError('ABORTED', 'x');
    // A structurally identical object from "another copy" of core: same Symbol.for brand.
    const foreign = Object.create(null, {
      [Symbol.for('@x/core.HttpClientError')]: { value: true },
      code: { value: 'ABORTED' },
    });
    expect(HttpClientError.is(error)).toBe(true);
    expect(HttpClientError.is(foreign)).toBe(true);
    expect(HttpClientError.is(error, 'ABORTED')).toBe(true);
    expect(HttpClientError.is(error, 'TIMEOUT')).toBe(false);
    expect(HttpClientError.is(new Error('x'))).toBe(false);
    expect(HttpClientError.is(null)).toBe(false);
    expect(HttpClientError.is({ code: 'ABORTED' })).toBe(false);
  });

  it('withRequest fills in what a lower level did not know', () => {
    const low = new HttpClientError('CONNECT_FAILED', 'refused', { requestSent: true });
    const full = low.withRequest('GET', 'http://127.0.0.1:1/', false);
    expect(full.method).toBe('GET');
    expect(full.url).toBe('http://127.0.0.1:1/');
    expect(full.requestSent).toBe(false);
    expect(full.code).toBe('CONNECT_FAILED');
  });
});

describe('createRequest', () => {
  it('builds a frozen request with a copied URL, HeaderList and body', () => {
    const url = new URL('http://127.0.0.1:8080/a?b=c');
    const request = createRequest({ method: 'PUT', url, headers: { 'X-A': '1' }, body: 'hi' });
    url.pathname = '/changed';
    expect(request.url.pathname).toBe('/a');
    expect(request.method).toBe('PUT');
    expect(request.headers.get('x-a')).toBe('1');
    expect(request.body?.length).toBe(2);
    expect(request.body?.contentType).toBe('text/plain;charset=UTF-8');
    expect(Object.isFrozen(request)).toBe(true);
    expect(Object.isFrozen(request.options)).toBe(true);
  });

  it('keeps the method case as given (RFC 9110 methods are case-sensitive)', () => {
    expect(createRequest({ method: 'patch', url: 'http://h/' }).method).toBe('patch');
  });

  it.each([
    ['a method with a space', { method: 'GE T', url: 'http://h/' }],
    ['a method with CRLF', { method: 'GET\r\nX: y', url: 'http://h/' }],
    ['an empty method', { method: '', url: 'http://h/' }],
    ['a relative URL', { url: '/path' }],
    ['a file: URL', { url: 'file:///etc/passwd' }],
    ['a javascript: URL', { url: 'javascript:alert(1)' }],
    ['a header value with CRLF', { url: 'http://h/', headers: { X: 'a\r\nInjected: 1' } }],
    ['a header name with a colon', { url: 'http://h/', headers: { 'X:': 'a' } }],
    ['an unsupported body', { url: 'http://h/', body: 42 as unknown as string }],
  ])('refuses %s with INVALID_REQUEST and requestSent false', (_label, init) => {
    const error = thrown(() => createRequest(init));
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.requestSent).toBe(false);
  });

  it('keeps the InvalidHeaderError as the cause of a header refusal', () => {
    const error = thrown(() => createRequest({ url: 'http://h/', headers: { X: 'a\nb' } }));
    expect(InvalidHeaderError.is(error.cause)).toBe(true);
  });

  it('withRequestChanges builds a new request and leaves the original alone', () => {
    const original = createRequest({ method: 'POST', url: 'http://h/a', body: 'x' });
    const changed = withRequestChanges(original, { method: 'GET', body: null, url: new URL('http://h/b') });
    expect(changed.method).toBe('GET');
    expect(changed.body).toBeNull();
    expect(original.method).toBe('POST');
    expect(original.body).not.toBeNull();
    expect(changed.headers).toBe(original.headers);
  });
});

describe('request bodies', () => {
  it('knows length and replayability for each kind', async () => {
    const bytes = toRequestBody(new Uint8Array([1, 2, 3]));
    expect(bytes).toMatchObject({ length: 3, replayable: true });
    const form = toRequestBody(new URLSearchParams({ a: 'b c' }));
    expect(form?.contentType).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(await drain(form!.open())).toBe('a=b+c');
    const blob = toRequestBody(new Blob(['blob!'], { type: 'text/x' }));
    expect(blob).toMatchObject({ length: 5, replayable: true, contentType: 'text/x' });
    expect(await drain(blob!.open())).toBe('blob!');
    expect(await drain(blob!.open())).toBe('blob!');
    const node = toRequestBody(Readable.from([Buffer.from('n')]));
    expect(node).toMatchObject({ length: null, replayable: false });
    const web = toRequestBody(new Blob(['w']).stream());
    expect(web).toMatchObject({ length: null, replayable: false });
    expect(await drain(web!.open())).toBe('w');
    expect(jsonBody({ a: 1 })).toMatchObject({
      length: 7,
      contentType: 'application/json',
      replayable: true,
    });
  });

  it('a replayable body gives the same bytes on every open', async () => {
    const body = bytesBody(new TextEncoder().encode('again'));
    expect(await drain(body.open())).toBe('again');
    expect(await drain(body.open())).toBe('again');
  });

  it('a one-shot stream throws BODY_CONSUMED on a second open instead of sending nothing', async () => {
    const body = streamBody(
      (async function* () {
        yield 'once';
      })(),
    );
    expect(await drain(body.open())).toBe('once');
    expect(thrown(() => body.open()).code).toBe('BODY_CONSUMED');
  });
});

describe('createMockTransport', () => {
  it('records requests with their body bytes and answers with status, headers, streamed body', async () => {
    const transport = createMockTransport(async (request) => ({
      status: 418,
      headers: [
        ['X-Echo', request.method],
        ['x-echo', 'twice'],
      ],
      body: (async function* () {
        yield 'tea';
        yield 'pot';
      })(),
    }));
    const response = await transport.request(
      createRequest({ method: 'POST', url: 'http://127.0.0.1/brew', body: 'milk' }),
    );
    expect(response.status).toBe(418);
    expect(response.reason).toBe("I'm a Teapot");
    expect(response.headers.getAll('x-echo')).toEqual(['POST', 'twice']);
    expect(await response.body.text()).toBe('teapot');
    expect(transport.requests).toHaveLength(1);
    expect(new TextDecoder().decode(transport.requests[0]!.bodyBytes!)).toBe('milk');
  });

  it('delivers trailers only after the body has been read to its end', async () => {
    const transport = createMockTransport(() => ({
      body: ['a', 'b'],
      trailers: { 'Server-Timing': 'db;dur=5' },
    }));
    const response = await transport.request(createRequest({ url: 'http://h/' }));
    let trailersSettled = false;
    void response.trailers.then(() => {
      trailersSettled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(trailersSettled).toBe(false);
    await response.body.text();
    const trailers = await response.trailers;
    expect(trailers).toBeInstanceOf(HeaderList);
    expect(trailers.get('server-timing')).toBe('db;dur=5');
  });

  it('rejects trailers when the body is cancelled, without an unhandled rejection', async () => {
    const transport = createMockTransport(() => ({ body: ['a', 'b'], trailers: { T: '1' } }));
    const response = await transport.request(createRequest({ url: 'http://h/' }));
    await response.body.cancel('not interested');
    expect((await rejection(response.trailers)).code).toBe('ABORTED');
  });

  it('fails with any error of the family the handler throws', async () => {
    const transport = createMockTransport(() => {
      throw new HttpClientError('CONNECT_FAILED', 'refused', { requestSent: false });
    });
    const error = await rejection(transport.request(createRequest({ method: 'DELETE', url: 'http://h/x' })));
    expect(error.code).toBe('CONNECT_FAILED');
    expect(error.requestSent).toBe(false);
    expect(error.method).toBe('DELETE');
    expect(error.url).toBe('http://h/x');
  });

  it('wraps a non-HttpClientError thrown by the handler', async () => {
    const transport = createMockTransport(() => {
      throw new TypeError('handler bug');
    });
    const error = await rejection(transport.request(createRequest({ url: 'http://h/' })));
    expect(error.code).toBe('CONNECTION_CLOSED');
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('delays on its clock, and an abort during the delay rejects with the signal reason', async () => {
    const clock = createManualClock();
    const transport = createMockTransport(() => ({ delay: 1000, body: 'late' }), { clock });
    const controller = new AbortController();
    const pending = transport.request(createRequest({ url: 'http://h/', signal: controller.signal }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.pendingTimers()).toBe(1);
    const reason = new Error('user navigated away');
    controller.abort(reason);
    const error = await rejection(pending);
    expect(error.code).toBe('ABORTED');
    expect(error.cause).toBe(reason);
    expect(clock.pendingTimers()).toBe(0);

    const second = transport.request(createRequest({ url: 'http://h/' }));
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(1000);
    expect(await (await second).body.text()).toBe('late');
  });

  it('an abort that fires while the handler runs is honoured by the delay', async () => {
    const clock = createManualClock();
    const controller = new AbortController();
    const transport = createMockTransport(
      () => {
        controller.abort('during handler');
        return { delay: 1000 };
      },
      { clock },
    );
    const error = await rejection(
      transport.request(createRequest({ url: 'http://h/', signal: controller.signal })),
    );
    expect(error.code).toBe('ABORTED');
    expect(error.cause).toBe('during handler');
    expect(clock.pendingTimers()).toBe(0);
  });

  it('an abort before the request is sent says requestSent false', async () => {
    const transport = createMockTransport(() => ({}));
    const controller = new AbortController();
    controller.abort('early');
    const error = await rejection(
      transport.request(createRequest({ url: 'http://h/', signal: controller.signal })),
    );
    expect(error.code).toBe('ABORTED');
    expect(error.requestSent).toBe(false);
    expect(error.cause).toBe('early');
    expect(transport.requests).toHaveLength(0);
  });

  it('an abort while the body streams fails the body with the signal reason', async () => {
    const controller = new AbortController();
    const transport = createMockTransport(() => ({
      body: (async function* () {
        yield 'first';
        await new Promise((resolve) => setTimeout(resolve, 5));
        yield 'second';
      })(),
    }));
    const response = await transport.request(createRequest({ url: 'http://h/', signal: controller.signal }));
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort('stop');
    const error = await rejection(iterator.next());
    expect(error.code).toBe('ABORTED');
    expect(error.cause).toBe('stop');
    expect((await rejection(response.trailers)).code).toBe('ABORTED');
  });

  it('an abort during a stalled upload rejects with ABORTED and tells the body producer to stop', async () => {
    let returnCalled = false;
    let reads = 0;
    const stalledUpload: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () =>
          reads++ === 0
            ? Promise.resolve({ done: false, value: new TextEncoder().encode('part') })
            : new Promise<IteratorResult<Uint8Array>>(() => undefined),
        return: async () => {
          returnCalled = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const controller = new AbortController();
    const transport = createMockTransport(() => ({}));
    const pending = transport.request(
      createRequest({
        method: 'PUT',
        url: 'http://h/',
        body: streamBody(stalledUpload),
        signal: controller.signal,
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort('upload cancelled');
    const error = await rejection(pending);
    expect(error.code).toBe('ABORTED');
    expect(error.cause).toBe('upload cancelled');
    expect(returnCalled).toBe(true);
    expect(transport.requests).toHaveLength(0);
  });

  it('sends no body for HEAD and refuses requests after close', async () => {
    const transport = createMockTransport(() => ({ body: 'ignored' }));
    const head = await transport.request(createRequest({ method: 'HEAD', url: 'http://h/' }));
    expect(await head.body.text()).toBe('');
    await transport.close();
    expect(transport.closed).toBe(true);
    const error = await rejection(transport.request(createRequest({ url: 'http://h/' })));
    expect(error.code).toBe('TRANSPORT_CLOSED');
    expect(error.requestSent).toBe(false);
  });

  it('can answer with a ready-made HttpResponse', async () => {
    const transport = createMockTransport((request) =>
      createResponse({ status: 204, url: request.url, meta: { connection: { id: 7, reused: true } } }),
    );
    const response = await transport.request(createRequest({ url: 'http://h/' }));
    expect(response.status).toBe(204);
    expect(response.meta.connection?.id).toBe(7);
  });
});

describe('createResponse', () => {
  it('settles trailers after a BodySource ends, and rejects them when it fails', async () => {
    const chunks = [new TextEncoder().encode('a')];
    const ok = createResponse({
      status: 200,
      url: 'http://h/',
      trailers: { T: '1' },
      body: { read: async () => chunks.shift() ?? null, cancel: () => undefined },
    });
    let settled = false;
    void ok.trailers.then(() => {
      settled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    expect(await ok.body.text()).toBe('a');
    expect((await ok.trailers).get('t')).toBe('1');

    const failing = createResponse({
      status: 200,
      url: 'http://h/',
      body: {
        read: async () => {
          throw new HttpClientError('CONNECTION_CLOSED', 'gone');
        },
        cancel: () => undefined,
      },
    });
    expect((await rejection(failing.body.text())).code).toBe('CONNECTION_CLOSED');
    expect((await rejection(failing.trailers)).code).toBe('CONNECTION_CLOSED');
  });
});

describe('compose', () => {
  it('applies layers in order, the last outermost, each seeing the request first from outside in', async () => {
    const seen: string[] = [];
    const tag =
      (name: string): Layer =>
      (inner: HttpTransport) => ({
        async request(request) {
          seen.push(name);
          const headers = request.headers.clone().append('X-Layer', name);
          return inner.request(withRequestChanges(request, { headers }));
        },
        close: () => inner.close(),
      });
    const base = createMockTransport((request) => ({ body: request.headers.getAll('x-layer').join(',') }));
    const stack = compose(base, tag('inner'), tag('outer'));
    const response = await stack.request(createRequest({ url: 'http://h/' }));
    expect(seen).toEqual(['outer', 'inner']);
    expect(await response.body.text()).toBe('outer,inner');
    await stack.close();
    expect(base.closed).toBe(true);
  });
});

describe('connect targets and origins', () => {
  it('derives scheme, host, port and SNI (none for IP literals)', () => {
    expect(connectTargetFor(new URL('https://Example.TEST/x'))).toEqual({
      scheme: 'https',
      host: 'example.test',
      port: 443,
      servername: 'example.test',
    });
    expect(connectTargetFor(new URL('https://[::1]:8443/'))).toMatchObject({
      host: '::1',
      servername: undefined,
    });
    expect(connectTargetFor(new URL('https://127.0.0.1/'))).toMatchObject({ servername: undefined });
    expect(connectTargetFor(new URL('http://h:8080/'))).toMatchObject({ scheme: 'http', port: 8080 });
  });

  it('origin keys always carry the port', () => {
    expect(originKey(new URL('http://h/'))).toBe('http://h:80');
    expect(originKey(new URL('https://h:443/'))).toBe('https://h:443');
    expect(originKey(new URL('http://[::1]:81/'))).toBe('http://[::1]:81');
  });
});

describe('manual clock', () => {
  it('fires timers in due order when advanced, and refresh restarts a countdown', () => {
    const clock = createManualClock(1_000_000);
    const fired: string[] = [];
    clock.setTimer(() => fired.push('b'), 200);
    clock.setTimer(() => fired.push('a'), 100);
    const idle = clock.setTimer(() => fired.push('idle'), 150);
    clock.advance(120);
    expect(fired).toEqual(['a']);
    idle.refresh();
    clock.advance(100);
    expect(fired).toEqual(['a', 'b']);
    clock.advance(50);
    expect(fired).toEqual(['a', 'b', 'idle']);
    expect(clock.now()).toBe(1_000_270);
    expect(clock.monotonic()).toBe(270);
    const cancelled = clock.setTimer(() => fired.push('never'), 10);
    cancelled.cancel();
    clock.advance(100);
    expect(fired).not.toContain('never');
    expect(clock.pendingTimers()).toBe(0);
  });
});

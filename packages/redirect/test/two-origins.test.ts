import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequest, HttpClientError, type HttpTransport } from '@x/core';
import { createHttp1Transport } from '@x/protocol';
import { httpServer, type TrackedServer } from '@x/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withRedirects } from '../src/index.js';

/**
 * Two real origins on loopback (same address, different ports: different
 * origins, RFC 6454) and the HTTP/1.1 transport underneath: what the second
 * server actually received is the proof.
 */
interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

interface Origin {
  readonly server: TrackedServer;
  readonly base: string;
  readonly seen: Seen[];
  route: (request: IncomingMessage, response: ServerResponse, body: string) => void;
}

async function startOrigin(): Promise<Origin> {
  const seen: Seen[] = [];
  let origin: Origin | undefined;
  const server = await httpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      origin?.route(request, response, body);
    });
  });
  origin = { server, base: server.origin, seen, route: (_request, response) => response.end('unrouted') };
  return origin;
}

async function stopOrigin(origin: Origin): Promise<void> {
  await origin.server.close();
}

/** Waits (bounded) for the server side to see every connection closed: the leak check. */
async function allClosed(origin: Origin): Promise<boolean> {
  for (let attempt = 0; attempt < 200 && origin.server.open() > 0; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return origin.server.open() === 0;
}

let first: Origin;
let second: Origin;
let transport: HttpTransport;

beforeEach(async () => {
  first = await startOrigin();
  second = await startOrigin();
  transport = withRedirects(createHttp1Transport(), { sensitiveHeaders: ['X-Api-Key'] });
});

afterEach(async () => {
  await transport.close();
  await stopOrigin(first);
  await stopOrigin(second);
});

function redirect(response: ServerResponse, status: number, location: string, body = 'moved'): void {
  response.writeHead(status, { Location: location, 'Content-Type': 'text/plain' });
  response.end(body);
}

const credentials = {
  Authorization: 'Bearer secret',
  Cookie: 'session=secret',
  'X-Api-Key': 'key',
  'X-Harmless': 'kept',
};

describe('two loopback origins through the HTTP/1.1 transport', () => {
  it('a 307 to the other origin resends method and body, without credentials', async () => {
    first.route = (_request, response) => redirect(response, 307, `${second.base}/landing`);
    second.route = (_request, response) => response.end('landed');
    const response = await transport.request(
      createRequest({
        method: 'PUT',
        url: `${first.base}/start`,
        headers: { ...credentials, 'Content-Type': 'text/plain' },
        body: 'payload',
      }),
    );
    expect(await response.body.text()).toBe('landed');
    expect(response.url.href).toBe(`${second.base}/landing`);
    expect(response.meta.redirects).toEqual([{ url: `${first.base}/start`, status: 307, method: 'PUT' }]);
    expect(first.seen[0]?.headers.authorization).toBe('Bearer secret');
    const received = second.seen[0];
    expect(received?.method).toBe('PUT');
    expect(received?.body).toBe('payload');
    expect(received?.headers['content-type']).toBe('text/plain');
    expect(received?.headers.host).toBe(new URL(second.base).host);
    expect(received?.headers['x-harmless']).toBe('kept');
    for (const name of ['authorization', 'cookie', 'x-api-key'])
      expect(received?.headers[name]).toBeUndefined();
  });

  it('credentials stay dropped when the chain comes back to the first origin', async () => {
    first.route = (request, response) =>
      request.url === '/start' ? redirect(response, 302, `${second.base}/bounce`) : response.end('home');
    second.route = (_request, response) => redirect(response, 302, `${first.base}/home`);
    const response = await transport.request(
      createRequest({ url: `${first.base}/start`, headers: credentials }),
    );
    expect(await response.body.text()).toBe('home');
    expect(first.seen.map((seen) => seen.url)).toEqual(['/start', '/home']);
    expect(first.seen[1]?.headers.authorization).toBeUndefined();
    expect(first.seen[1]?.headers.cookie).toBeUndefined();
    expect(first.seen[1]?.headers['x-harmless']).toBe('kept');
  });

  it('a 303 after POST reaches the other origin as a GET with no body or body fields', async () => {
    first.route = (_request, response) => redirect(response, 303, `${second.base}/result`);
    second.route = (_request, response) => response.end('result');
    const response = await transport.request(
      createRequest({
        method: 'POST',
        url: `${first.base}/form`,
        body: 'a=1',
        headers: { 'Content-Type': 'text/plain' },
      }),
    );
    expect(await response.body.text()).toBe('result');
    const received = second.seen[0];
    expect(received?.method).toBe('GET');
    expect(received?.body).toBe('');
    expect(received?.headers['content-type']).toBeUndefined();
    expect(received?.headers['content-length']).toBeUndefined();
    expect(received?.headers['transfer-encoding']).toBeUndefined();
  });

  it('discards an endless intermediate body without reading it, and leaks no socket', async () => {
    first.route = (_request, response) => {
      response.writeHead(302, { Location: `${second.base}/after` });
      // Never ends: the layer must cancel it, not read it.
      const interval = setInterval(() => response.write('x'.repeat(1024)), 1);
      response.on('close', () => clearInterval(interval));
    };
    second.route = (_request, response) => response.end('after');
    const response = await transport.request(createRequest({ url: `${first.base}/endless` }));
    expect(await response.body.text()).toBe('after');
    await transport.close();
    expect(await allClosed(first)).toBe(true);
    expect(await allClosed(second)).toBe(true);
  });

  it('an abort while the second origin holds its answer rejects with ABORTED and frees its socket', async () => {
    const controller = new AbortController();
    first.route = (_request, response) => redirect(response, 302, `${second.base}/slow`);
    second.route = () => controller.abort(new Error('gave up'));
    const error = await transport
      .request(createRequest({ url: `${first.base}/start`, signal: controller.signal }))
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    expect(HttpClientError.is(error, 'ABORTED')).toBe(true);
    expect(await allClosed(second)).toBe(true);
  });

  it('does not follow a redirect from one origin to a non-http scheme, and answers with a typed error', async () => {
    first.route = (_request, response) => redirect(response, 302, 'file:///etc/passwd');
    const error = await transport.request(createRequest({ url: `${first.base}/start` })).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(HttpClientError.is(error, 'REDIRECT_REFUSED')).toBe(true);
    expect(second.seen).toHaveLength(0);
  });
});

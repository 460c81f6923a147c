import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { HttpClientError } from '@x/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type CreateClientOptions, createClient, toFetch } from '../src/index.js';
import { createTestCertificates, type TestCertificates } from './support/certs.js';
import { eventually, startServer, type TestServer } from './support/servers.js';

/** /start redirects to /data, which is cacheable for a minute and counts its hits. */
function redirectAndCacheHandler(request: IncomingMessage, response: ServerResponse): void {
  if (request.url === '/start') {
    response.writeHead(302, { Location: '/data', 'Content-Length': '0' });
    response.end();
    return;
  }
  response.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'max-age=60' });
  response.end('payload');
}

async function failure(run: Promise<unknown>): Promise<HttpClientError> {
  try {
    await run;
  } catch (error) {
    if (HttpClientError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

let certificates: TestCertificates;
beforeAll(async () => {
  certificates = await createTestCertificates();
});

describe('the default stack end to end on 127.0.0.1', () => {
  let server: TestServer | undefined;
  let client: Client | undefined;
  const open = async (
    options: CreateClientOptions,
    handler: Parameters<typeof startServer>[0],
    tls = false,
  ) => {
    server = await startServer(
      handler,
      tls ? { key: certificates.keyPem, cert: certificates.certPem } : undefined,
    );
    client = createClient(options);
    return { server, client };
  };

  afterEach(async () => {
    await client?.close();
    if (server) {
      // Leak check: closing the client leaves no socket open on the server.
      expect(await eventually(() => server?.openSockets() === 0)).toBe(true);
      await server.close();
    }
    server = undefined;
    client = undefined;
  });

  for (const scheme of ['http', 'https'] as const) {
    it(`${scheme}: follows a redirect, answers the second time from the cache, reuses one connection`, async () => {
      const tlsOptions = { trust: { mode: 'replace' as const, ca: certificates.caPem } };
      const { server, client } = await open(
        { cache: {}, baseUrl: `${scheme}://127.0.0.1/`, allowAbsoluteUrls: true, tls: tlsOptions },
        redirectAndCacheHandler,
        scheme === 'https',
      );
      const first = await client.get(`${server.origin}/start`);
      expect(first.status).toBe(200);
      expect(first.url.pathname).toBe('/data');
      expect(await first.body.text()).toBe('payload');
      expect(first.meta.redirects).toEqual([{ url: `${server.origin}/start`, status: 302, method: 'GET' }]);
      expect(first.meta.cache?.status).toBe('miss');
      if (scheme === 'https') expect(first.meta).toHaveProperty('tls');

      const second = await client.get(`${server.origin}/start`);
      expect(await second.body.text()).toBe('payload');
      expect(second.meta.cache?.status).toBe('hit');
      expect(server.seen).toEqual(['GET /start', 'GET /data', 'GET /start']);
      expect(server.connections()).toBe(1);
    });
  }

  it('https: refuses a server the trust store does not vouch for, before any request byte', async () => {
    const { server, client } = await open({ retry: false }, redirectAndCacheHandler, true);
    const error = await failure(client.get(`${server.origin}/data`));
    expect(error.code).toBe('TLS_FAILED');
    expect(error.requestSent).toBe(false);
    expect(server.seen).toEqual([]);
  });

  it('decodes a gzip body and still delivers the trailers', async () => {
    const text = 'compressible '.repeat(2000);
    const { server, client } = await open({}, (request, response) => {
      expect(request.headers['accept-encoding']).toContain('gzip');
      response.writeHead(200, {
        'Content-Encoding': 'gzip',
        'Content-Type': 'text/plain',
        Trailer: 'X-Checksum',
      });
      response.write(gzipSync(text));
      response.addTrailers({ 'X-Checksum': 'abc123' });
      response.end();
    });
    const response = await client.get(`${server.origin}/gzip`);
    expect(response.headers.has('content-encoding')).toBe(false);
    expect(await response.body.text()).toBe(text);
    expect((await response.trailers).get('x-checksum')).toBe('abc123');
    expect(response.meta.decoding?.codings).toEqual(['gzip']);
  });

  it('retries a GET after the server drops the connection without answering', async () => {
    let calls = 0;
    const { server, client } = await open({ retry: { baseDelay: 1, maxDelay: 1 } }, (request, response) => {
      calls++;
      if (calls === 1) {
        request.socket.destroy();
        return;
      }
      response.end('second attempt');
    });
    const response = await client.get(`${server.origin}/flaky`);
    expect(await response.body.text()).toBe('second attempt');
    expect(response.meta.retry?.attempts).toBe(2);
    expect(server.seen).toEqual(['GET /flaky', 'GET /flaky']);
  });

  it('does not retry a POST the server may have seen', async () => {
    const { server, client } = await open({ retry: { baseDelay: 1, maxDelay: 1 } }, (request) => {
      request.socket.destroy();
    });
    const error = await failure(client.post(`${server.origin}/once`, { json: { a: 1 } }));
    expect(error.code).toBe('CONNECTION_CLOSED');
    expect(server.seen).toEqual(['POST /once']);
  });

  it('turns a silent server into a TIMEOUT naming the headers phase', async () => {
    const { server, client } = await open({ retry: false }, () => {
      // Never answers.
    });
    const error = await failure(client.get(`${server.origin}/slow`, { timeout: { headers: 150 } }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.phase).toBe('headers');
  });

  it('ends a body that stalls after a redirect at the total deadline, freeing the socket', async () => {
    const { server, client } = await open({ retry: false }, (request, response) => {
      if (request.url === '/a') {
        response.writeHead(302, { Location: '/b', 'Content-Length': '0' });
        response.end();
        return;
      }
      response.writeHead(200, { 'Content-Length': '100' });
      response.write('partial'); // then nothing
    });
    const response = await client.get(`${server.origin}/a`, { timeout: 300 });
    expect(response.url.pathname).toBe('/b');
    const error = await failure(response.body.text());
    expect(error.code).toBe('TIMEOUT');
    expect(error.phase).toBe('total');
  });

  it('reads a single range, several ranges as multipart/byteranges, and a 416', async () => {
    const content = 'abcdefghijklmnopqrstuvwxyz';
    const { server, client } = await open({}, (request, response) => {
      expect(request.headers['accept-encoding']).toBe('identity');
      const range = request.headers.range ?? '';
      if (range === 'bytes=2-4') {
        response.writeHead(206, { 'Content-Range': `bytes 2-4/${content.length}`, 'Content-Length': '3' });
        response.end(content.slice(2, 5));
      } else if (range === 'bytes=0-1, -3') {
        const boundary = 'SEP';
        const part = (start: number, end: number) =>
          `--${boundary}\r\nContent-Type: text/plain\r\nContent-Range: bytes ${start}-${end}/${content.length}\r\n\r\n${content.slice(start, end + 1)}\r\n`;
        response.writeHead(206, { 'Content-Type': `multipart/byteranges; boundary=${boundary}` });
        response.end(`${part(0, 1)}${part(23, 25)}--${boundary}--\r\n`);
      } else {
        response.writeHead(416, { 'Content-Range': `bytes */${content.length}`, 'Content-Length': '0' });
        response.end();
      }
    });
    const collect = async (result: Awaited<ReturnType<Client['range']>>) => {
      const parts: string[] = [];
      for await (const part of result.parts()) {
        let text = '';
        for await (const chunk of part.body) text += Buffer.from(chunk).toString();
        parts.push(`${part.start}-${part.end}:${text}`);
      }
      return parts;
    };
    const single = await client.range(`${server.origin}/letters`, { start: 2, end: 4 });
    expect(single.kind).toBe('partial');
    expect(single.completeLength).toBe(26);
    expect(await collect(single)).toEqual(['2-4:cde']);
    const several = await client.range(`${server.origin}/letters`, [{ start: 0, end: 1 }, { suffix: 3 }]);
    expect(await collect(several)).toEqual(['0-1:ab', '23-25:xyz']);
    const beyond = await client.range(`${server.origin}/letters`, { start: 100 });
    expect(beyond.kind).toBe('unsatisfiable');
    expect(beyond.completeLength).toBe(26);
    expect(await collect(beyond)).toEqual([]);
  });
});

describe('toFetch over the real stack', () => {
  let server: TestServer;
  let client: Client;
  beforeAll(async () => {
    server = await startServer((request, response) => {
      if (request.url === '/go') {
        response.writeHead(307, { Location: '/echo', 'Content-Length': '0' });
        response.end();
        return;
      }
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        response.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': ['a=1', 'b=2'] });
        response.end(JSON.stringify({ method: request.method, body: Buffer.concat(chunks).toString() }));
      });
    });
    client = createClient({ retry: false });
  });
  afterAll(async () => {
    await client.close();
    expect(await eventually(() => server.openSockets() === 0)).toBe(true);
    await server.close();
  });

  it('follows a 307 with the body replayed and marks the response redirected', async () => {
    const fetch = toFetch(client.transport);
    const response = await fetch(`${server.origin}/go`, { method: 'POST', body: 'hello' });
    expect(response.status).toBe(200);
    expect(response.redirected).toBe(true);
    expect(response.url).toBe(`${server.origin}/echo`);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ method: 'POST', body: 'hello' });
  });

  it('returns the 3xx itself with redirect: manual', async () => {
    const response = await toFetch(client.transport)(`${server.origin}/go`, { redirect: 'manual' });
    expect(response.status).toBe(307);
    expect(response.redirected).toBe(false);
    expect(response.headers.get('location')).toBe('/echo');
    await response.body?.cancel();
  });

  it('rejects with the abort reason when the signal fires, like fetch', async () => {
    const controller = new AbortController();
    const reason = new Error('changed my mind');
    controller.abort(reason);
    let caught: unknown;
    try {
      await toFetch(client.transport)(`${server.origin}/echo`, { signal: controller.signal });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(reason);
  });

  it('rejects with a TypeError for redirect: error, like fetch', async () => {
    let caught: unknown;
    try {
      await toFetch(client.transport)(`${server.origin}/go`, { redirect: 'error' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TypeError);
    expect(HttpClientError.is((caught as TypeError).cause, 'REDIRECT_REFUSED')).toBe(true);
  });
});

import type http from 'node:http';
import { type ConnectOptions, type ConnectTarget, createRequest } from '@x/core';
import { createPool } from '@x/pool';
import { tcpConnector } from '@x/protocol';
import { withRedirects } from '@x/redirect';
import { cleanupAfterEach, httpServer } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { createCookieJar, withCookies } from '../src/index.js';

// Two real origins on loopback, told apart by host name (cookies ignore
// ports, RFC 6265bis §8.5): a.test and b.test both resolve to 127.0.0.1
// through the test's connector, never through DNS.

interface Origin {
  readonly port: number;
  readonly cookies: (string | undefined)[];
  openSockets(): number;
  close(): Promise<void>;
}

const cleanups = cleanupAfterEach();

async function origin(handler: (request: http.IncomingMessage, response: http.ServerResponse) => void) {
  const cookies: (string | undefined)[] = [];
  const server = await httpServer((request, response) => {
    cookies.push(request.headers.cookie);
    handler(request, response);
  });
  const result: Origin = { port: server.port, cookies, openSockets: server.open, close: server.close };
  cleanups.push(() => result.close());
  return result;
}

const tcp = tcpConnector();
const loopbackConnector = (target: ConnectTarget, options: ConnectOptions) =>
  tcp({ ...target, host: '127.0.0.1' }, options);

describe('cookies over a real stack: withRedirects(withCookies(pool))', () => {
  it('keeps each origin’s cookies to itself across a cross-origin redirect chain', async () => {
    let bPort = 0;
    const a = await origin((request, response) => {
      if (request.url === '/start') {
        response.writeHead(302, {
          'set-cookie': ['a_sid=1; HttpOnly'],
          location: `http://b.test:${bPort}/hop`,
        });
      } else response.writeHead(200);
      response.end('a');
    });
    const b = await origin((_request, response) => {
      response.writeHead(302, { 'set-cookie': ['b_sid=2'], location: `http://a.test:${a.port}/back` });
      response.end('b');
    });
    bPort = b.port;
    const jar = createCookieJar();
    const pool = createPool({ connector: loopbackConnector });
    const transport = withRedirects(withCookies(pool, { jar }));
    cleanups.push(() => transport.close());

    const response = await transport.request(createRequest({ url: `http://a.test:${a.port}/start` }));
    expect(await response.body.text()).toBe('a');
    expect(response.url.href).toBe(`http://a.test:${a.port}/back`);
    expect(a.cookies).toEqual([undefined, 'a_sid=1']);
    expect(b.cookies).toEqual([undefined]);

    const again = await transport.request(createRequest({ url: `http://b.test:${b.port}/` }));
    await again.body.text();
    expect(b.cookies.at(-1)).toBe('b_sid=2');
    expect(a.cookies.at(-1)).toBe('a_sid=1');
  });

  it('closes every socket it opened', async () => {
    const a = await origin((_request, response) => {
      response.writeHead(200, { 'set-cookie': 'x=1' }).end('ok');
    });
    const transport = withCookies(createPool({ connector: loopbackConnector }), { jar: createCookieJar() });
    for (let index = 0; index < 2; index++) {
      const response = await transport.request(createRequest({ url: `http://a.test:${a.port}/` }));
      await response.body.text();
    }
    expect(a.cookies).toEqual([undefined, 'x=1']);
    await transport.close();
    for (let attempt = 0; attempt < 100 && a.openSockets() > 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(a.openSockets()).toBe(0);
  });
});

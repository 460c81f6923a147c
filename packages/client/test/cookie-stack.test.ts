import type { IncomingMessage, ServerResponse } from 'node:http';
import { createCookieJar } from '@x/cookies';
import type { Connector } from '@x/core';
import { tcpConnector } from '@x/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../src/index.js';
import { eventually, startServer, type TestServer } from './support/servers.js';

/** Two origins with their own host names, both on 127.0.0.1 (cookies ignore ports, RFC 6265bis §8.5). */
function loopbackNames(ports: Readonly<Record<string, number>>): Connector {
  const tcp = tcpConnector();
  return (target, options) => {
    const port = Object.hasOwn(ports, target.host) ? ports[target.host] : undefined;
    if (port === undefined) return Promise.reject(new Error(`unknown test host ${target.host}`));
    return tcp({ ...target, host: '127.0.0.1', port }, options);
  };
}

describe('cookies in the default stack', () => {
  const servers: TestServer[] = [];
  let client: Client | undefined;
  afterEach(async () => {
    await client?.close();
    for (const server of servers.splice(0)) {
      expect(await eventually(() => server.openSockets() === 0)).toBe(true);
      await server.close();
    }
    client = undefined;
  });

  it('stores each hop of a login redirect chain and sends cookies only to their own origin', async () => {
    const cookiesSeen: Array<[string, string | undefined]> = [];
    const record = (host: string, request: IncomingMessage) =>
      cookiesSeen.push([`${host} ${request.method} ${request.url}`, request.headers.cookie]);
    let identityPort = 0;
    let appPort = 0;
    // app.test/login → 303 to the identity provider, which sets its own
    // cookie and sends the browser back; app.test sets the session on the way.
    const app = await startServer((request: IncomingMessage, response: ServerResponse) => {
      record('app', request);
      if (request.url === '/login') {
        response.writeHead(303, {
          'Set-Cookie': 'session=s3cret; Path=/; HttpOnly',
          Location: `http://id.test:${identityPort}/authorize`,
        });
        response.end();
        return;
      }
      response.end('home');
    });
    const identity = await startServer((request: IncomingMessage, response: ServerResponse) => {
      record('id', request);
      if (request.url === '/authorize') {
        response.writeHead(302, {
          'Set-Cookie': 'idp=signed-in; Path=/',
          Location: `http://app.test:${appPort}/home`,
        });
        response.end();
        return;
      }
      response.end('id');
    });
    servers.push(app, identity);
    appPort = app.port;
    identityPort = identity.port;
    const jar = createCookieJar();
    client = createClient({
      cookies: jar,
      connector: loopbackNames({ 'app.test': app.port, 'id.test': identity.port }),
      retry: false,
    });

    const response = await client.post(`http://app.test:${app.port}/login`, { body: 'user=a' });
    expect(response.url.href).toBe(`http://app.test:${app.port}/home`);
    expect(await response.body.text()).toBe('home');
    const again = await client.get(`http://id.test:${identity.port}/whoami`);
    expect(await again.body.text()).toBe('id');

    expect(cookiesSeen).toEqual([
      ['app POST /login', undefined],
      // The session cookie of app.test never reaches the identity provider.
      ['id GET /authorize', undefined],
      ['app GET /home', 'session=s3cret'],
      ['id GET /whoami', 'idp=signed-in'],
    ]);
    expect((await jar.getCookies(`http://app.test:${app.port}/`)).map((cookie) => cookie.key)).toEqual([
      'session',
    ]);
  });

  it('cookies: true keeps a fresh jar per client; without the option nothing is stored', async () => {
    const cookies: Array<string | undefined> = [];
    const server = await startServer((request, response) => {
      cookies.push(request.headers.cookie);
      response.writeHead(200, { 'Set-Cookie': 'seen=1; Path=/' }).end('ok');
    });
    servers.push(server);
    const withJar = createClient({ cookies: true, retry: false });
    const withoutJar = createClient({ retry: false });
    try {
      for (const each of [withJar, withJar, withoutJar, withoutJar]) {
        await (await each.get(`${server.origin}/`)).body.text();
      }
    } finally {
      await withJar.close();
      await withoutJar.close();
    }
    expect(cookies).toEqual([undefined, 'seen=1', undefined, undefined]);
  });
});

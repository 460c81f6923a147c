import assert from 'node:assert/strict';
import { echoed, readEcho } from '../assertions.js';
import type { CaseContext, ConformanceCase } from '../case.js';

const area = 'cookies';
const requires = ['http', 'cookies'] as const;

/** Asks `origin` to set the given Set-Cookie lines; the response is read and dropped. */
async function setCookies(context: CaseContext, origin: URL, ...lines: string[]): Promise<void> {
  const url = new URL('/set-cookie', origin);
  for (const line of lines) url.searchParams.append('c', line);
  const response = await context.send({ url });
  assert.equal(response.status, 200);
  await response.body.text();
}

/** The Cookie field the server received on a GET /echo to `origin` (empty when none). */
async function cookieSent(context: CaseContext, origin: URL | string): Promise<string> {
  const reply = await readEcho(await context.send({ url: new URL('/echo', origin) }));
  return echoed(reply, 'cookie').join('; ');
}

/** The same server under the name localhost: another host, so another cookie domain (RFC 6265 §5.1.3). */
function asLocalhost(origin: URL): URL {
  const other = new URL(origin);
  other.hostname = 'localhost';
  return other;
}

export const cookieCases: readonly ConformanceCase[] = [
  {
    id: 'cookies/sent-back',
    area,
    title: 'A stored cookie is sent back to its host, both values in one Cookie field (RFC 6265 §5.4)',
    requires,
    async run(context) {
      const origin = context.servers.http;
      assert.equal(await cookieSent(context, origin), '', 'a fresh jar sends no cookie');
      await setCookies(context, origin, 'session=abc; Path=/', 'theme=dark; Path=/');
      const cookie = await cookieSent(context, origin);
      assert.match(cookie, /(^|; )session=abc(;|$)/);
      assert.match(cookie, /(^|; )theme=dark(;|$)/);
    },
  },
  {
    id: 'cookies/host-only',
    area,
    title: 'A cookie without Domain goes to its own host only, not to another name of the same server',
    requires,
    async run(context) {
      const origin = context.servers.http;
      await setCookies(context, origin, 'session=abc; Path=/');
      assert.equal(await cookieSent(context, asLocalhost(origin)), '');
      assert.match(await cookieSent(context, origin), /session=abc/);
    },
  },
  {
    id: 'cookies/path',
    area,
    title: 'A cookie with a Path goes only to requests under that path (RFC 6265 §5.1.4)',
    requires,
    async run(context) {
      const origin = context.servers.http;
      await setCookies(context, origin, 'scoped=1; Path=/elsewhere');
      assert.equal(await cookieSent(context, origin), '', '/echo is not under /elsewhere');
    },
  },
  {
    id: 'cookies/secure-only-over-https',
    area,
    title: 'A Secure cookie set over https is never sent over http (RFC 6265 §5.4 step 1)',
    requires: [...requires, 'https'],
    async run(context) {
      await setCookies(context, context.servers.https, 'token=s3cret; Secure; Path=/');
      assert.match(await cookieSent(context, context.servers.https), /token=s3cret/);
      // Same host, plain http (cookies ignore the port): the Secure one stays behind.
      assert.doesNotMatch(await cookieSent(context, context.servers.http), /token=/);
    },
  },
  {
    id: 'cookies/max-age-zero-removes',
    area,
    title: 'Max-Age=0 removes a stored cookie (RFC 6265 §5.3 step 11)',
    requires,
    async run(context) {
      const origin = context.servers.http;
      await setCookies(context, origin, 'session=abc; Path=/');
      await setCookies(context, origin, 'session=gone; Path=/; Max-Age=0');
      assert.equal(await cookieSent(context, origin), '');
    },
  },
  {
    id: 'cookies/set-on-redirect-hop',
    area,
    title: 'A Set-Cookie on a redirect is stored and sent on the next hop',
    requires: [...requires, 'redirects'],
    async run(context) {
      const url = new URL('/set-cookie', context.servers.http);
      url.searchParams.append('c', 'hop=1; Path=/');
      url.searchParams.set('to', '/echo');
      const reply = await readEcho(await context.send({ url }));
      assert.match(echoed(reply, 'cookie').join('; '), /hop=1/);
    },
  },
];

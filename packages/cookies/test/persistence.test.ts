import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock, createMockTransport, createRequest, HttpClientError } from '@x/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCookieJar, loadCookieJar, saveCookieJar, withCookies } from '../src/index.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'x-cookies-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('saveCookieJar / loadCookieJar', () => {
  it('persists cookies and a reloaded jar sends them, with expiry still counted from receipt', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const path = join(directory, 'jar.json');
    const first = createCookieJar();
    const setter = withCookies(
      createMockTransport(() => ({
        status: 200,
        headers: [
          ['Set-Cookie', 'long=1; Max-Age=3600'],
          ['Set-Cookie', 'short=2; Max-Age=60'],
          ['Set-Cookie', 'secure=3; Secure; HttpOnly'],
        ],
      })),
      { jar: first, clock },
    );
    await setter.request(createRequest({ url: 'https://example.com/' }));
    await saveCookieJar(first, path);

    const reloaded = await loadCookieJar(path);
    clock.advance(120_000);
    const inner = createMockTransport(() => ({ status: 200 }));
    const reader = withCookies(inner, { jar: reloaded, clock });
    await reader.request(createRequest({ url: 'https://example.com/' }));
    await reader.request(createRequest({ url: 'http://example.com/' }));
    expect(inner.requests.map((request) => request.headers.get('cookie'))).toEqual([
      'long=1; secure=3',
      'long=1',
    ]);
  });

  it('writes the file owner-only and leaves no temporary file', async () => {
    const path = join(directory, 'jar.json');
    const jar = createCookieJar();
    await jar.setCookie('a=1', 'https://example.com/');
    await saveCookieJar(jar, path);
    await saveCookieJar(jar, path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, 'utf8')).cookies).toHaveLength(1);
    expect(await readdir(directory)).toEqual(['jar.json']);
  });

  it('gives an empty jar for a missing file', async () => {
    const jar = await loadCookieJar(join(directory, 'none.json'));
    expect(await jar.getCookies('https://example.com/')).toEqual([]);
  });

  it('refuses a file that is not a saved jar with COOKIE_STORE_FAILED', async () => {
    const path = join(directory, 'bad.json');
    await writeFile(path, '{"not":"a jar"}');
    const error = await loadCookieJar(path).catch((caught: unknown) => caught);
    expect(HttpClientError.is(error, 'COOKIE_STORE_FAILED')).toBe(true);
  });

  it('applies this package’s settings to a loaded jar whatever the file says', async () => {
    const path = join(directory, 'lenient.json');
    await writeFile(path, JSON.stringify({ rejectPublicSuffixes: false, cookies: [] }));
    const jar = await loadCookieJar(path);
    await expect(jar.setCookie('a=1; Domain=co.uk', 'https://example.co.uk/')).rejects.toThrow(
      /public suffix/,
    );
  });
});

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startForwardProxy, type TestProxy } from '@x/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoRequest, readBody } from './support/echo.js';
import { runCliBytes as cli, cliPath, repositoryRoot } from './support/run-cli.js';
import { eventually, startServer, type TestServer } from './support/servers.js';

const flakyCounts = new Map<string, number>();

describe('x-http flags in a subprocess', () => {
  let origin: TestServer;
  let other: TestServer;
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'x-http-cli-flags-'));
    other = await startServer(async (request, response) => {
      await readBody(request);
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ authorization: request.headers.authorization ?? null }));
    });
    origin = await startServer(async (request, response) => {
      const body = await readBody(request);
      const url = new URL(request.url ?? '/', 'http://test');
      if (url.pathname === '/form') {
        // The server parses the multipart body itself (WHATWG Response.formData, RFC 7578).
        const form = await new Response(new Uint8Array(body), {
          headers: { 'Content-Type': request.headers['content-type'] ?? '' },
        }).formData();
        const fields: Record<string, unknown> = {};
        for (const [name, value] of form) {
          fields[name] =
            typeof value === 'string'
              ? value
              : { file: value.name, type: value.type, text: await value.text() };
        }
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ type: request.headers['content-type'], fields }));
      } else if (url.pathname === '/login') {
        response.writeHead(200, { 'Set-Cookie': 'session=s3cr3t; Path=/; HttpOnly' });
        response.end('logged in\n');
      } else if (url.pathname === '/me') {
        const loggedIn = request.headers.cookie === 'session=s3cr3t';
        response.writeHead(loggedIn ? 200 : 401);
        response.end(loggedIn ? 'hello, session\n' : 'who are you?\n');
      } else if (url.pathname === '/away') {
        response.writeHead(302, { Location: `${other.origin}/landing`, 'Content-Length': '0' });
        response.end();
      } else if (url.pathname === '/here') {
        response.writeHead(302, { Location: '/echo', 'Content-Length': '0' });
        response.end();
      } else if (url.pathname === '/flaky') {
        const key = url.searchParams.get('key') ?? '';
        const count = (flakyCounts.get(key) ?? 0) + 1;
        flakyCounts.set(key, count);
        response.writeHead(count <= 2 ? 503 : 200, { 'Retry-After': '0' });
        response.end(`attempt ${count}\n`);
      } else if (url.pathname === '/stall') {
        response.writeHead(200, { 'Content-Length': '100' });
        response.write('part');
      } else if (url.pathname === '/gzip') {
        // Coded whatever was asked for, to show --no-decode hands the bytes over as sent.
        response.writeHead(200, {
          'Content-Encoding': 'gzip',
          'X-Accept-Encoding': request.headers['accept-encoding'] ?? 'none',
        });
        response.end(gzipSync('decoded text\n'));
      } else {
        echoRequest(request, response, body);
      }
    });
  });

  afterAll(async () => {
    expect(await eventually(() => origin.openSockets() === 0 && other.openSockets() === 0)).toBe(true);
    await origin.close();
    await other.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('-u sends Basic credentials, keeps them on a same-origin redirect and drops them on a cross-origin one', async () => {
    const same = await cli(['-u', 'aladdin:open sesame', `${origin.origin}/here`]);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout).authorization).toBe('Basic YWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    const cross = await cli(['-u', 'aladdin:open sesame', `${origin.origin}/away`]);
    expect(cross.code).toBe(0);
    // The redirect layer strips Authorization on a cross-origin hop (SECURITY.md rule 22).
    expect(JSON.parse(cross.stdout)).toEqual({ authorization: null });
    expect(other.seen.at(-1)).toBe('GET /landing');
  });

  it('-F sends multipart/form-data the server can parse: text, files with type and name, a file as a value', async () => {
    const upload = join(directory, 'report.csv');
    await writeFile(upload, 'a,b\n1,2\n');
    const notes = join(directory, 'notes.txt');
    await writeFile(notes, 'from a file');
    const run = await cli([
      '-F',
      'title=Quarterly "numbers"',
      '-F',
      `data=@${upload};type=text/csv`,
      '-F',
      `renamed=@${upload};filename=other.csv`,
      '-F',
      `note=<${notes}`,
      '--form-string',
      'raw=@not-a-file',
      `${origin.origin}/form`,
    ]);
    expect(run.code).toBe(0);
    const parsed = JSON.parse(run.stdout);
    expect(parsed.type).toMatch(/^multipart\/form-data; boundary=x-http-[0-9a-f]{48}$/);
    expect(parsed.fields).toEqual({
      title: 'Quarterly "numbers"',
      data: { file: 'report.csv', type: 'text/csv', text: 'a,b\n1,2\n' },
      renamed: { file: 'other.csv', type: 'application/octet-stream', text: 'a,b\n1,2\n' },
      note: 'from a file',
      raw: '@not-a-file',
    });
    expect(origin.seen.at(-1)).toBe('POST /form');
    const missing = await cli(['-F', `f=@${join(directory, 'absent.bin')}`, `${origin.origin}/form`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
  });

  it('--data-urlencode encodes each part and joins them with &', async () => {
    const file = join(directory, 'message.txt');
    await writeFile(file, 'x=1&y=2');
    const run = await cli([
      '--data-urlencode',
      'q=caf\u00e9 & cr\u00e8me',
      '--data-urlencode',
      `text@${file}`,
      '--data-urlencode',
      '=bare',
      `${origin.origin}/echo`,
    ]);
    expect(run.code).toBe(0);
    const echoed = JSON.parse(run.stdout);
    expect(echoed).toMatchObject({ method: 'POST', type: 'application/x-www-form-urlencoded' });
    expect(echoed.body).toBe('q=caf%C3%A9%20%26%20cr%C3%A8me&text=x%3D1%26y%3D2&bare');
    expect(Object.fromEntries(new URLSearchParams(echoed.body))).toEqual({
      q: 'café & crème',
      text: 'x=1&y=2',
      bare: '',
    });
  });

  it('--cookie-jar saves Set-Cookie to an owner-only JSON file and sends it on the next run', async () => {
    const jar = join(directory, 'cookies.json');
    const before = await cli(['-c', jar, `${origin.origin}/me`]);
    expect(before.code).toBe(22);
    const login = await cli(['--cookie-jar', jar, `${origin.origin}/login`]);
    expect(login.code).toBe(0);
    expect(((await stat(jar)).mode & 0o777).toString(8)).toBe('600');
    const saved = JSON.parse(await readFile(jar, 'utf8'));
    expect(saved.cookies).toEqual([expect.objectContaining({ key: 'session', value: 's3cr3t' })]);
    const after = await cli(['-c', jar, `${origin.origin}/me`]);
    expect(after).toMatchObject({ code: 0, stdout: 'hello, session\n' });
    // Without the jar nothing is stored or sent.
    expect((await cli([`${origin.origin}/me`])).code).toBe(22);
    const broken = join(directory, 'broken.json');
    await writeFile(broken, '{"not":"a jar"}');
    const refused = await cli(['-c', broken, `${origin.origin}/me`]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--cookie-jar');
  });

  it('-v prints every hop’s request and response heads on stderr with credentials redacted', async () => {
    const jar = join(directory, 'verbose-cookies.json');
    await cli(['-c', jar, `${origin.origin}/login`]);
    const run = await cli([
      '-v',
      '-c',
      jar,
      '-u',
      'aladdin:open sesame',
      '-H',
      'X-Trace: 7',
      `${origin.origin}/here`,
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ path: '/echo', cookie: 'session=s3cr3t' });
    expect(run.stderr).toContain('> GET /here HTTP/1.1\n');
    expect(run.stderr).toContain(`> Host: 127.0.0.1:${origin.port}\n`);
    expect(run.stderr).toContain('> X-Trace: 7\n');
    expect(run.stderr).toContain('> Authorization: Basic [redacted]\n');
    expect(run.stderr).toContain('> Cookie: session=[redacted]\n');
    expect(run.stderr).toContain('< HTTP/1.1 302 Found\n');
    expect(run.stderr).toContain('> GET /echo HTTP/1.1\n');
    expect(run.stderr).toContain('< HTTP/1.1 200 OK\n');
    expect(run.stderr).not.toContain('s3cr3t');
    expect(run.stderr).not.toContain('YWxhZGRpbjpvcGVuIHNlc2FtZQ');
    const login = await cli(['-v', `${origin.origin}/login`]);
    expect(login.stderr).toContain('< Set-Cookie: session=[redacted]; Path=/; HttpOnly\n');
    expect(login.stderr).not.toContain('s3cr3t');
  });

  it('--retry sets how often a transient failure is retried', async () => {
    const retried = await cli(['--retry', '2', `${origin.origin}/flaky?key=a`]);
    expect(retried).toMatchObject({ code: 0, stdout: 'attempt 3\n' });
    const once = await cli(['--retry', '1', `${origin.origin}/flaky?key=b`]);
    expect(once).toMatchObject({ code: 22, stdout: 'attempt 2\n' });
  });

  it('-m/--max-time ends a stalled transfer with exit 28', async () => {
    const run = await cli(['-m', '0.3', `${origin.origin}/stall`]);
    expect(run.code).toBe(28);
    expect(run.stderr).toContain('TIMEOUT');
  });

  it('exits 23 when the -o file cannot be created, leaving no connection open', async () => {
    const run = await cli([
      '-X',
      'POST',
      '-o',
      join(directory, 'missing', 'out.bin'),
      `${origin.origin}/stall`,
    ]);
    expect(run.code).toBe(23);
    expect(run.stderr).toContain('DOWNLOAD_WRITE_FAILED');
  });

  it('exits 23 when stdout closes before -i’s head is written, freeing the connection at once', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=@x/source', '--import', 'tsx', cliPath, '-i', '--retry', '0', `${origin.origin}/stall`],
      { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // The reader goes away before anything is written: the head's write fails with EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    try {
      const code = await new Promise<number | null>((resolve) => child.on('exit', (exit) => resolve(exit)));
      expect(code).toBe(23);
      expect(stderr).toContain('DOWNLOAD_WRITE_FAILED');
      expect(await eventually(() => origin.openSockets() === 0)).toBe(true);
    } finally {
      // A regression would leave the command waiting on the unread body: never leave it running.
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('--connect-timeout ends a connection whose TLS handshake never answers with exit 28', async () => {
    const silent = await startSilentServer();
    try {
      const run = await cli([
        '--connect-timeout',
        '0.3',
        '--retry',
        '0',
        `https://127.0.0.1:${silent.port}/`,
      ]);
      expect(run.code).toBe(28);
      expect(run.stderr).toMatch(/took longer than 300 ms \(TIMEOUT\)/);
    } finally {
      await silent.close();
    }
  });

  it('decodes by default and with --compressed; --no-decode asks for nothing and prints the bytes as sent', async () => {
    for (const flags of [[], ['--compressed']]) {
      const run = await cli([...flags, '-i', `${origin.origin}/gzip`]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/X-Accept-Encoding: .*gzip/i);
      expect(run.stdout.endsWith('\r\n\r\ndecoded text\n')).toBe(true);
    }
    const raw = await cli(['--no-decode', `${origin.origin}/gzip`]);
    expect(raw.code).toBe(0);
    expect(raw.bytes.equals(gzipSync('decoded text\n'))).toBe(true);
    const head = await cli(['--no-decode', '-i', `${origin.origin}/gzip`]);
    expect(head.stdout).toMatch(/X-Accept-Encoding: none\r\n/i);
    expect(head.stdout).toMatch(/Content-Encoding: gzip\r\n/i);
  });

  it('-s hides error messages, -S brings them back; usage errors are always printed', async () => {
    const closed = await startServer(() => undefined);
    const port = closed.port;
    await closed.close();
    const quiet = await cli(['-s', '--retry', '0', `http://127.0.0.1:${port}/`]);
    expect(quiet).toMatchObject({ code: 7, stderr: '' });
    const shown = await cli(['-sS', '--retry', '0', `http://127.0.0.1:${port}/`]);
    expect(shown.code).toBe(7);
    expect(shown.stderr).toContain('CONNECT_FAILED');
    const usage = await cli(['-s', '--retry', 'many', `http://127.0.0.1:${port}/`]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--retries needs a whole number');
  });

  it('refuses CR, LF or NUL in a header, a credential or the URL with exit 2, sending nothing', async () => {
    const before = origin.seen.length;
    const attempts = [
      ['-H', 'X-Trace: 1\r\nX-Injected: yes', `${origin.origin}/echo`],
      ['-H', 'X-Trace: 1\nX-Injected: yes', `${origin.origin}/echo`],
      ['-u', 'user:pass\r\nX-Injected: yes', `${origin.origin}/echo`],
      ['-F', 'f=@x;filename=a\r\nX-Injected: yes', `${origin.origin}/form`],
      [`${origin.origin}/echo\r\nX-Injected: yes`],
    ];
    for (const argv of attempts) {
      const run = await cli(argv);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('CR, LF or NUL');
      expect(run.stdout).toBe('');
    }
    expect(origin.seen.length).toBe(before);
  });

  it('fails unknown flags, missing and malformed values with exit 2 and a message', async () => {
    for (const [argv, message] of [
      [['--frobnicate', origin.origin], 'unknown option --frobnicate'],
      [[origin.origin, '-x'], '-x needs a value'],
      [['--pin', 'sha256/abc', 'https://127.0.0.1/'], '--pin "sha256/abc" is not'],
      [['-m', '-1', origin.origin], '--timeout needs a number of seconds'],
      [['-F', 'a=1', '--json', '{}', origin.origin], 'only one body option'],
    ] as const) {
      const run = await cli([...argv]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).toContain("Try 'x-http --help'");
    }
  });
});

describe('x-http through a forward proxy', () => {
  let origin: TestServer;
  let proxy: TestProxy;
  let guarded: TestProxy;

  beforeAll(async () => {
    origin = await startServer((request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({
          path: request.url,
          proxyAuthorization: request.headers['proxy-authorization'] ?? null,
        }),
      );
    });
    proxy = await startForwardProxy({});
    guarded = await startForwardProxy({
      requireAuthorization: `Basic ${Buffer.from('proxyuser:proxypass').toString('base64')}`,
    });
  });

  afterAll(async () => {
    const idle = () => origin.openSockets() === 0 && proxy.openSockets() === 0 && guarded.openSockets() === 0;
    expect(await eventually(idle)).toBe(true);
    await origin.close();
    await proxy.close();
    await guarded.close();
  });

  it('-x forwards http: requests in absolute form', async () => {
    const run = await cli(['-x', proxy.url, `${origin.origin}/via`]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ path: '/via', proxyAuthorization: null });
    expect(proxy.seen.at(-1)).toMatchObject({ method: 'GET', target: `${origin.origin}/via` });
  });

  it('sends proxy credentials to the proxy only, and a 407 without them is a response (exit 22)', async () => {
    const withCredentials = `http://proxyuser:proxypass@127.0.0.1:${guarded.port}`;
    const run = await cli(['--proxy', withCredentials, `${origin.origin}/guarded`]);
    expect(run.code).toBe(0);
    // The test proxy removes Proxy-Authorization before forwarding: what the origin sees is what leaked.
    expect(JSON.parse(run.stdout)).toEqual({ path: '/guarded', proxyAuthorization: null });
    expect(guarded.seen.at(-1)?.headers['proxy-authorization']).toBe(
      `Basic ${Buffer.from('proxyuser:proxypass').toString('base64')}`,
    );
    const refused = await cli(['--proxy', guarded.url, `${origin.origin}/guarded`]);
    expect(refused.code).toBe(22);
  });

  it('--noproxy lets listed hosts bypass the proxy', async () => {
    const seen = proxy.seen.length;
    const run = await cli(['-x', proxy.url, '--noproxy', '127.0.0.1', `${origin.origin}/direct`]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).path).toBe('/direct');
    expect(proxy.seen.length).toBe(seen);
  });

  it('reads HTTP_PROXY only with --proxy-env', async () => {
    const environment = { http_proxy: proxy.url, HTTP_PROXY: proxy.url };
    const seen = proxy.seen.length;
    const ignored = await cli([`${origin.origin}/no-env`], environment);
    expect(ignored.code).toBe(0);
    expect(proxy.seen.length).toBe(seen);
    const used = await cli(['--proxy-env', `${origin.origin}/env`], environment);
    expect(used.code).toBe(0);
    expect(proxy.seen.at(-1)?.target).toBe(`${origin.origin}/env`);
  });
});

/** A TCP server that accepts and never answers (a TLS handshake to it never completes). */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificates } from './support/certs.js';
import { runCli as cli, cliPath, repositoryRoot } from './support/run-cli.js';
import { eventually, startServer, type TestServer } from './support/servers.js';

const big = Buffer.alloc(300 * 1024, 'x');
let dataHits = 0;

describe('x-http in a subprocess', () => {
  let server: TestServer;
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'x-http-cli-'));
    server = await startServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        if (path === '/moved') {
          response.writeHead(302, { Location: '/hello', 'Content-Length': '0' });
          response.end();
        } else if (path === '/missing') {
          response.writeHead(404, { 'Content-Type': 'text/plain' });
          response.end('not here\n');
        } else if (path === '/big') {
          response.writeHead(200, { 'Content-Length': String(big.length), ETag: '"big"' });
          response.end(big);
        } else if (path === '/cached') {
          dataHits++;
          response.writeHead(200, { 'Cache-Control': 'max-age=600', 'Content-Type': 'text/plain' });
          response.end(`hit ${dataHits}\n`);
        } else if (path === '/stall') {
          response.writeHead(200, { 'Content-Length': '1000' });
          response.write('partial');
        } else if (path === '/echo') {
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.end(
            JSON.stringify({
              method: request.method,
              type: request.headers['content-type'],
              custom: request.headers['x-custom'],
              range: request.headers.range,
              body: Buffer.concat(chunks).toString(),
            }),
          );
        } else {
          response.writeHead(200, { 'Content-Type': 'text/plain', 'X-Server': 'test' });
          response.end('hello\n');
        }
      });
    });
  });

  afterAll(async () => {
    expect(await eventually(() => server.openSockets() === 0)).toBe(true);
    await server.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('prints the body, follows redirects, and with -i the status line and headers first', async () => {
    const plain = await cli([`${server.origin}/moved`]);
    expect(plain).toEqual({ code: 0, stdout: 'hello\n', stderr: '' });
    const included = await cli(['-i', `${server.origin}/hello`]);
    expect(included.code).toBe(0);
    expect(included.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(included.stdout).toContain('X-Server: test\r\n');
    expect(included.stdout.endsWith('\r\n\r\nhello\n')).toBe(true);
  });

  it('returns a redirect as it is with --no-follow', async () => {
    const run = await cli(['-i', '--no-follow', `${server.origin}/moved`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^HTTP\/1\.1 302 Found\r\n/);
    expect(run.stdout).toContain('Location: /hello');
  });

  it('sends methods, headers, JSON and ranges', async () => {
    const json = await cli(['PUT', `${server.origin}/echo`, '--json', '{"a":1}', '-H', 'X-Custom: yes']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      method: 'PUT',
      type: 'application/json',
      custom: 'yes',
      body: '{"a":1}',
    });
    const bodyFile = join(directory, 'upload.txt');
    await writeFile(bodyFile, 'from a file');
    const data = await cli([`${server.origin}/echo`, '-d', `@${bodyFile}`, '-r', '0-3']);
    expect(JSON.parse(data.stdout)).toMatchObject({
      method: 'POST',
      body: 'from a file',
      range: 'bytes=0-3',
    });
  });

  it('exits 22 for a status of 400 or more, still printing the body', async () => {
    expect(await cli([`${server.origin}/missing`])).toEqual({ code: 22, stdout: 'not here\n', stderr: '' });
  });

  it('exits 7 when nothing listens, 2 on a usage error, with a message on stderr', async () => {
    const closed = await startServer(() => undefined);
    const port = closed.port;
    await closed.close();
    const refused = await cli(['--retries', '0', `http://127.0.0.1:${port}/`]);
    expect(refused.code).toBe(7);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('CONNECT_FAILED');
    const usage = await cli(['--bogus']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('unknown option --bogus');
    const badUrl = await cli(['file:///etc/passwd']);
    expect(badUrl.code).toBe(2);
  });

  it('writes -o to a file and prints nothing extra when stderr is a pipe', async () => {
    const output = join(directory, 'big.bin');
    const run = await cli(['-o', output, `${server.origin}/big`]);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await readFile(output)).equals(big)).toBe(true);
  });

  it('draws a progress bar with size, rate and ETA on a terminal', async () => {
    const output = join(directory, 'big-tty.bin');
    const run = await cli(['-o', output, `${server.origin}/big`], { X_HTTP_FORCE_TTY: '1' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('100.0% [########################] 300.0 KiB / 300.0 KiB');
    expect(run.stderr).toMatch(/\/s {2}ETA \d+:\d\d\n$/);
    expect((await readFile(output)).length).toBe(big.length);
  });

  it('exits 130 on Ctrl-C, leaving no connection behind', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=@x/source', '--import', 'tsx', cliPath, `${server.origin}/stall`],
      {
        cwd: repositoryRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    expect(await eventually(() => stdout === 'partial', 2000)).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await eventually(() => server.openSockets() === 0)).toBe(true);
  });

  it('serves a second run from --cache-dir', async () => {
    const cacheDirectory = join(directory, 'cache');
    const first = await cli(['--cache-dir', cacheDirectory, `${server.origin}/cached`]);
    const second = await cli(['--cache-dir', cacheDirectory, `${server.origin}/cached`]);
    expect(first.stdout).toBe('hit 1\n');
    expect(second.stdout).toBe('hit 1\n');
    expect(dataHits).toBe(1);
  });
});

describe('x-http over HTTPS', () => {
  let server: TestServer;
  let directory: string;
  let caFile: string;

  beforeAll(async () => {
    const certificates = await createTestCertificates();
    directory = await mkdtemp(join(tmpdir(), 'x-http-cli-tls-'));
    caFile = join(directory, 'ca.pem');
    await writeFile(caFile, certificates.caPem);
    server = await startServer((_request, response) => response.end('secure\n'), {
      key: certificates.keyPem,
      cert: certificates.certPem,
    });
  });

  afterAll(async () => {
    await server.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('trusts the server with --cacert and exits 35 without it', async () => {
    expect(await cli(['--cacert', caFile, `${server.origin}/`])).toEqual({
      code: 0,
      stdout: 'secure\n',
      stderr: '',
    });
    const refused = await cli([`${server.origin}/`]);
    expect(refused.code).toBe(35);
    expect(refused.stderr).toContain('TLS_FAILED');
  });
});

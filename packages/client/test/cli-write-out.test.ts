import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '@x/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWriteOut } from '../src/cli-write-out.js';
import { runCli as cli } from './support/run-cli.js';
import { runCliInProcess } from './support/run-cli-in-process.js';
import { eventually, startServer, type TestServer } from './support/servers.js';

describe('parseWriteOut', () => {
  it('reads variables, %header{}, %% and the \\n \\t \\r \\\\ escapes; other text is kept as it is', () => {
    const parsed = parseWriteOut('%{http_code}\\t%header{X-Id}%%\\r\\n\\\\ \\q %z');
    expect(parsed).toEqual({
      ok: true,
      value: [
        { kind: 'variable', name: 'http_code' },
        { kind: 'text', text: '\t' },
        { kind: 'header', name: 'X-Id' },
        { kind: 'text', text: '%\r\n\\ \\q %z' },
      ],
    });
  });

  it('refuses an unknown variable, an unclosed one and a %header{} that is not a field name', () => {
    expect(parseWriteOut('%{speed_download}')).toMatchObject({
      ok: false,
      reason: /unknown variable %\{speed_download\}/,
    });
    expect(parseWriteOut('%{http_code')).toMatchObject({ ok: false, reason: /no closing }/ });
    expect(parseWriteOut('%header{bad name}')).toMatchObject({ ok: false, reason: /needs a field name/ });
  });
});

describe('x-http -w/--write-out', () => {
  let origin: TestServer;
  let directory: string;
  const clock = createManualClock();

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'x-http-cli-write-out-'));
    origin = await startServer((request, response) => {
      request.resume();
      if (request.url === '/moved') {
        response.writeHead(302, { Location: '/hello', 'Content-Length': '0' });
        response.end();
      } else if (request.url === '/see-other') {
        response.writeHead(303, { Location: '/hello', 'Content-Length': '0' });
        response.end();
      } else if (request.url === '/missing') {
        response.writeHead(404, { 'Content-Type': 'text/plain' });
        response.end('not here\n');
      } else if (request.url === '/slow') {
        // The CLI's injected clock moves 2.5 s while the server "works".
        clock.advance(2500);
        response.end('slow\n');
      } else {
        response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Id': 'a1' });
        response.end('hello\n');
      }
    });
  });

  afterAll(async () => {
    expect(await eventually(() => origin.openSockets() === 0)).toBe(true);
    await origin.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('prints the summary after the body: status, sizes, effective URL, redirects, type, exit code, method, a field', async () => {
    const format =
      '%{http_code} %{response_code} %{size_download} %{url_effective} %{num_redirects} ' +
      '[%{content_type}] %{exitcode} %{method} %header{x-id}|%header{x-absent}| 100%%\\n';
    const run = await cli(['-w', format, `${origin.origin}/moved`]);
    expect(run).toEqual({
      code: 0,
      stdout: `hello\n200 200 6 ${origin.origin}/hello 1 [text/plain; charset=utf-8] 0 GET a1|| 100%\n`,
      stderr: '',
    });
    // A 303 turns the POST into a GET: %{method} is the last request's.
    const posted = await cli([
      '-d',
      'a=1',
      '--write-out',
      '%{method} %{num_redirects}',
      `${origin.origin}/see-other`,
    ]);
    expect(posted.stdout).toBe('hello\nGET 1');
  });

  it('%{size_header} is the size of the head -i prints', async () => {
    const included = await cli(['-i', `${origin.origin}/hello`]);
    const headSize = Buffer.byteLength(included.stdout) - 'hello\n'.length;
    const run = await cli(['-s', '-w', '%{size_header}', `${origin.origin}/hello`]);
    expect(run.stdout).toBe(`hello\n${headSize}`);
  });

  it('is printed after a failure too: 404 with and without -f, 000 when nothing answered', async () => {
    const shown = await cli(['-w', ' %{http_code} %{exitcode} %{size_download}', `${origin.origin}/missing`]);
    expect(shown).toMatchObject({ code: 22, stdout: 'not here\n 404 22 9' });
    const failed = await cli([
      '-f',
      '-s',
      '-w',
      '%{http_code} %{exitcode} %{size_download}',
      `${origin.origin}/missing`,
    ]);
    expect(failed).toEqual({ code: 22, stdout: '404 22 0', stderr: '' });
    const closed = await startServer(() => undefined);
    await closed.close();
    const refused = await cli([
      '-s',
      '--retry',
      '0',
      '-w',
      '%{http_code} %{exitcode}',
      `http://127.0.0.1:${closed.port}/`,
    ]);
    expect(refused).toEqual({ code: 7, stdout: '000 7', stderr: '' });
  });

  it('reads the format from @file; an unknown variable is a usage error, inline or in the file, and nothing is sent', async () => {
    const file = join(directory, 'format.txt');
    await writeFile(file, '%{http_code}\\n');
    expect((await cli(['-w', `@${file}`, `${origin.origin}/hello`])).stdout).toBe('hello\n200\n');
    const before = origin.seen.length;
    const inline = await cli(['-w', '%{nope}', `${origin.origin}/hello`]);
    expect(inline.code).toBe(2);
    expect(inline.stderr).toContain('unknown variable %{nope}');
    await writeFile(file, '%{nope}');
    const fromFile = await cli(['-w', `@${file}`, `${origin.origin}/hello`]);
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toContain(`unknown variable %{nope}`);
    expect(origin.seen.length).toBe(before);
  });

  it('%{time_total} comes from the injected clock, in seconds with 6 decimals', async () => {
    const run = await runCliInProcess(['-w', '%{time_total}', `${origin.origin}/slow`], { clock });
    expect(run).toEqual({ code: 0, stdout: 'slow\n2.500000', stderr: '' });
  });
});

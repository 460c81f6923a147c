import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as cli } from './support/run-cli.js';
import { eventually, startServer, type TestServer } from './support/servers.js';

describe('x-http -f/--fail and --fail-with-body', () => {
  let origin: TestServer;
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'x-http-cli-fail-'));
    origin = await startServer((request, response) => {
      if (request.url === '/missing') {
        response.writeHead(404, { 'Content-Type': 'text/plain' });
        response.end('not here\n');
      } else {
        response.end('fine\n');
      }
    });
  });

  afterAll(async () => {
    expect(await eventually(() => origin.openSockets() === 0)).toBe(true);
    await origin.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('without -f, and with --fail-with-body, a 404 prints its body and exits 22', async () => {
    for (const flags of [[], ['--fail-with-body']]) {
      expect(await cli([...flags, `${origin.origin}/missing`])).toEqual({
        code: 22,
        stdout: 'not here\n',
        stderr: '',
      });
    }
  });

  it('-f prints nothing of a 404 (not even -i’s head), says why on stderr unless -s, and exits 22', async () => {
    const failed = await cli(['-f', '-i', `${origin.origin}/missing`]);
    expect(failed).toEqual({
      code: 22,
      stdout: '',
      stderr: 'x-http: The requested URL returned error: 404 (HTTP_STATUS)\n',
    });
    expect(await cli(['-fs', `${origin.origin}/missing`])).toEqual({ code: 22, stdout: '', stderr: '' });
    expect((await cli(['-fsS', `${origin.origin}/missing`])).stderr).toContain('error: 404');
    // A POST to a file: the file is never created.
    const output = join(directory, 'never.txt');
    const posted = await cli(['--fail', '-d', 'a=1', '-o', output, `${origin.origin}/missing`]);
    expect(posted.code).toBe(22);
    await expect(access(output)).rejects.toThrow();
    expect(await cli(['-f', `${origin.origin}/ok`])).toEqual({ code: 0, stdout: 'fine\n', stderr: '' });
  });

  it('-f and --fail-with-body together are a usage error', async () => {
    const run = await cli(['-f', '--fail-with-body', `${origin.origin}/ok`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('give either --fail or --fail-with-body');
  });
});

import { PassThrough } from 'node:stream';
import { HttpClientError } from '@x/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHiddenLine, type TerminalInput } from '../src/cli-password-prompt.js';
import { echoRequest, readBody } from './support/echo.js';
import { runCli as cli } from './support/run-cli.js';
import { runCliInProcess } from './support/run-cli-in-process.js';
import { eventually, startServer, type TestServer } from './support/servers.js';

/** A stand-in for a terminal: what the user types is written to it; raw mode switches are recorded. */
function fakeTerminal(): { input: PassThrough & TerminalInput; rawModes: boolean[] } {
  const rawModes: boolean[] = [];
  const input = Object.assign(new PassThrough(), {
    setRawMode(raw: boolean) {
      rawModes.push(raw);
      return input;
    },
  });
  return { input, rawModes };
}

function collected(): { output: PassThrough; text: () => string } {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { output, text: () => text };
}

describe('readHiddenLine', () => {
  it('prompts, reads in raw mode without echo until Enter, handles Backspace, and leaves raw mode', async () => {
    const { input, rawModes } = fakeTerminal();
    const { output, text } = collected();
    const answer = readHiddenLine(input, output, 'Password:');
    input.write('s3cx');
    input.write('\u007fr\u00e9t\u{1F511}\u007f\rignored');
    expect(await answer).toBe('s3cr\u00e9t');
    expect(rawModes).toEqual([true, false]);
    expect(text()).toBe('Password:\n');
  });

  it('ends at Ctrl-D or the end of input, and rejects with ABORTED at Ctrl-C', async () => {
    const ended = fakeTerminal();
    const { output } = collected();
    const answer = readHiddenLine(ended.input, output, '');
    ended.input.end('abc');
    expect(await answer).toBe('abc');
    const interrupted = fakeTerminal();
    const refused = readHiddenLine(interrupted.input, output, '');
    interrupted.input.write('ab\u0003');
    await expect(refused).rejects.toMatchObject({ code: 'ABORTED' });
    expect(interrupted.rawModes).toEqual([true, false]);
  });
});

describe('x-http -u user (password prompt)', () => {
  let origin: TestServer;

  beforeAll(async () => {
    origin = await startServer(async (request, response) =>
      echoRequest(request, response, await readBody(request)),
    );
  });

  afterAll(async () => {
    expect(await eventually(() => origin.openSockets() === 0)).toBe(true);
    await origin.close();
  });

  it('asks for the password with curl’s prompt and sends Basic credentials', async () => {
    const prompts: string[] = [];
    const run = await runCliInProcess(['-u', 'aladdin', `${origin.origin}/private`], {
      readPassword: async (prompt) => {
        prompts.push(prompt);
        return 'open sesame';
      },
    });
    expect(run.code).toBe(0);
    expect(prompts).toEqual(["Enter host password for user 'aladdin':"]);
    expect(JSON.parse(run.stdout).authorization).toBe(`Basic ${btoa('aladdin:open sesame')}`);
  });

  it('an interrupted prompt exits 130 and a password with a control character exits 2, sending nothing', async () => {
    const before = origin.seen.length;
    const interrupted = await runCliInProcess(['-u', 'aladdin', `${origin.origin}/private`], {
      readPassword: () =>
        Promise.reject(new HttpClientError('ABORTED', 'Interrupted', { requestSent: false })),
    });
    expect(interrupted.code).toBe(130);
    const control = await runCliInProcess(['-u', 'aladdin', `${origin.origin}/private`], {
      readPassword: async () => 'bad\u0001',
    });
    expect(control.code).toBe(2);
    expect(control.stderr).toContain('control characters');
    expect(origin.seen.length).toBe(before);
  });

  it('without a terminal (a subprocess with pipes) is a usage error, even with -s, and nothing is sent', async () => {
    const before = origin.seen.length;
    const run = await cli(['-s', '-u', 'aladdin', `${origin.origin}/private`]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('-u aladdin: no password given, and stdin is not a terminal');
    expect(origin.seen.length).toBe(before);
  });
});

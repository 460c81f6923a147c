import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoRequest, readBody } from './support/echo.js';
import { runCli as cli } from './support/run-cli.js';
import { runCliInProcess } from './support/run-cli-in-process.js';
import { eventually, startServer, type TestServer } from './support/servers.js';

describe('x-http data options (-d, --data-raw, --data-binary, -G)', () => {
  let origin: TestServer;
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'x-http-cli-data-'));
    origin = await startServer(async (request, response) =>
      echoRequest(request, response, await readBody(request)),
    );
  });

  afterAll(async () => {
    expect(await eventually(() => origin.openSockets() === 0)).toBe(true);
    await origin.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('-d sends application/x-www-form-urlencoded like curl, unless -H gives a type; several parts join with &', async () => {
    const run = await cli(['-d', 'a=1', '--data', 'b=2', '--data-urlencode', 'c=x y', `${origin.origin}/f`]);
    expect(run.code).toBe(0);
    const echoed = JSON.parse(run.stdout);
    expect([echoed.method, echoed.path, echoed.type]).toEqual([
      'POST',
      '/f',
      'application/x-www-form-urlencoded',
    ]);
    expect([echoed.length, echoed.body]).toEqual(['15', 'a=1&b=2&c=x%20y']);
    const typed = await cli(['-d', '{"a":1}', '-H', 'Content-Type: application/json', `${origin.origin}/f`]);
    expect(JSON.parse(typed.stdout)).toMatchObject({ type: 'application/json', body: '{"a":1}' });
  });

  it('-d @file drops CR and LF, --data-binary @file keeps every byte, --data-raw does not read files', async () => {
    const file = join(directory, 'lines.txt');
    await writeFile(file, 'one=1\r\n&two=2\n');
    const stripped = await cli(['-d', `@${file}`, `${origin.origin}/f`]);
    expect(JSON.parse(stripped.stdout)).toMatchObject({ body: 'one=1&two=2', length: '11' });
    const binary = await cli(['--data-binary', `@${file}`, `${origin.origin}/f`]);
    expect(JSON.parse(binary.stdout)).toMatchObject({
      body: 'one=1\r\n&two=2\n',
      type: 'application/x-www-form-urlencoded',
    });
    const mixed = await cli(['--data-binary', `@${file}`, '-d', 'x=1', `${origin.origin}/f`]);
    expect(JSON.parse(mixed.stdout).body).toBe('one=1\r\n&two=2\n&x=1');
    const raw = await cli(['--data-raw', `@${file}`, `${origin.origin}/f`]);
    expect(JSON.parse(raw.stdout).body).toBe(`@${file}`);
    const missing = await cli(['-d', `@${join(directory, 'absent.txt')}`, `${origin.origin}/f`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('-d: cannot read');
  });

  it('-d @- drops line breaks from stdin, --data-binary @- sends it as it is', async () => {
    const stdin = Buffer.from('name=a\r\nb\n\u0000end');
    const stripped = await runCliInProcess(['-d', '@-', `${origin.origin}/f`], { stdin });
    expect(stripped.code).toBe(0);
    expect(JSON.parse(stripped.stdout).body).toBe('name=ab\u0000end');
    const binary = await runCliInProcess(['--data-binary', '@-', `${origin.origin}/f`], { stdin });
    expect(JSON.parse(binary.stdout).body).toBe(stdin.toString('latin1'));
  });

  it('-G puts the data in the query of a bodiless GET (or the -X method), after & when the URL has a query', async () => {
    const run = await cli(['-G', '-d', 'a=1', '--data-urlencode', 'q=x & y', `${origin.origin}/s?z=0#top`]);
    expect(run.code).toBe(0);
    const echoed = JSON.parse(run.stdout);
    expect([echoed.method, echoed.path, echoed.type, echoed.length, echoed.body]).toEqual([
      'GET',
      '/s?z=0&a=1&q=x%20%26%20y',
      null,
      null,
      '',
    ]);
    const bare = await cli(['--get', '-d', 'only', `${origin.origin}/s`]);
    expect(JSON.parse(bare.stdout).path).toBe('/s?only');
    const deleted = await cli(['-G', '-X', 'DELETE', '-d', 'id=7', `${origin.origin}/s`]);
    expect(JSON.parse(deleted.stdout)).toMatchObject({ method: 'DELETE', path: '/s?id=7', body: '' });
    // Characters a query cannot hold are percent-encoded, never sent raw.
    const spaced = await cli(['-G', '-d', 'a b#c', `${origin.origin}/s`]);
    expect(JSON.parse(spaced.stdout).path).toBe('/s?a%20b%23c');
  });

  it('-G refuses CR, LF or NUL in the data, and --json or -F, with exit 2 and nothing sent', async () => {
    const before = origin.seen.length;
    const lineBreak = await cli(['-G', '-d', 'a=1\r\nX-Injected: 1', `${origin.origin}/s`]);
    expect(lineBreak.code).toBe(2);
    expect(lineBreak.stderr).toContain('-G: the data contains CR, LF or NUL');
    const json = await cli(['-G', '--json', '{}', `${origin.origin}/s`]);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('-G sends --data as the query');
    expect(origin.seen.length).toBe(before);
  });
});

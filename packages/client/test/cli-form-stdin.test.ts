import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliArguments } from '../src/cli-arguments.js';
import { readBody } from './support/echo.js';
import { runCliInProcess } from './support/run-cli-in-process.js';
import { eventually, startServer, type TestServer } from './support/servers.js';

describe('x-http -F name=@- and name=<- (stdin)', () => {
  let origin: TestServer;

  beforeAll(async () => {
    origin = await startServer(async (request, response) => {
      const body = await readBody(request);
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
      response.end(JSON.stringify({ length: request.headers['content-length'] ?? null, fields }));
    });
  });

  afterAll(async () => {
    expect(await eventually(() => origin.openSockets() === 0)).toBe(true);
    await origin.close();
  });

  it('@- sends stdin as a file part (named "-" unless filename= says otherwise), with a known length', async () => {
    const stdin = 'a,b\n1,2\n';
    const plain = await runCliInProcess(['-F', 'title=Report', '-F', 'data=@-', `${origin.origin}/upload`], {
      stdin,
    });
    expect(plain.code).toBe(0);
    const echoed = JSON.parse(plain.stdout);
    expect(echoed.fields).toEqual({
      title: 'Report',
      data: { file: '-', type: 'application/octet-stream', text: stdin },
    });
    // Buffered, as curl does: the body has a Content-Length, not chunked framing.
    expect(Number(echoed.length)).toBeGreaterThan(stdin.length);
    const named = await runCliInProcess(
      ['-F', 'data=@-;type=text/csv;filename=report.csv', `${origin.origin}/upload`],
      {
        stdin,
      },
    );
    expect(JSON.parse(named.stdout).fields.data).toEqual({
      file: 'report.csv',
      type: 'text/csv',
      text: stdin,
    });
  });

  it('<- sends stdin as a plain field value', async () => {
    const run = await runCliInProcess(['-F', 'note=<-', `${origin.origin}/upload`], { stdin: 'from stdin' });
    expect(JSON.parse(run.stdout).fields).toEqual({ note: 'from stdin' });
  });

  it('refuses two fields reading stdin', () => {
    expect(parseCliArguments(['-F', 'a=@-', '-F', 'b=<-', 'http://h/'])).toEqual({
      kind: 'usage-error',
      message: 'only one -F field can read stdin (@- or <-)',
    });
  });
});

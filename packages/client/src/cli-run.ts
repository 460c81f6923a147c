import type { Readable, Writable } from 'node:stream';
import { type CookieJar, saveCookieJar } from '@x/cookies';
import { type Clock, HttpClientError, systemClock } from '@x/core';
import { type CliOptions, parseCliArguments, USAGE } from './cli-arguments.js';
import { cliClientSetup } from './cli-client-options.js';
import { withQuery } from './cli-data-body.js';
import { EXIT_CODES, exitCodeFor } from './cli-exit-codes.js';
import { formatHead, outputError, pipeBody, saveBody, write, writeOrFail } from './cli-output.js';
import { createProgressBar } from './cli-progress.js';
import { buildCliBody, type CliBody } from './cli-request-body.js';
import { type Client, createClient } from './create-client.js';

/** Everything the CLI touches outside itself, so it runs in tests without a process of its own. */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: Readable;
  /** Draw a progress bar on stderr for -o (true when stderr is a terminal). */
  readonly progress: boolean;
  readonly signal?: AbortSignal | undefined;
  readonly clock?: Clock | undefined;
  readonly version: string;
}

/** Runs one `x-http` command line and resolves with its exit code (see USAGE). Never rejects. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const command = parseCliArguments(argv);
  if (command.kind === 'help')
    return (await write(io.stdout, `${USAGE}\n`)) ? EXIT_CODES.ok : EXIT_CODES.write;
  if (command.kind === 'version')
    return (await write(io.stdout, `${io.version}\n`)) ? EXIT_CODES.ok : EXIT_CODES.write;
  if (command.kind === 'usage-error') {
    // Printed even with -s: the command line itself is wrong.
    await write(io.stderr, `x-http: ${command.message}\nTry 'x-http --help'.\n`);
    return EXIT_CODES.usage;
  }
  const options = command.options;
  const reportError = async (error: unknown) => {
    if (options.silent && !options.showError) return;
    const message = error instanceof Error ? error.message : String(error);
    const label = HttpClientError.is(error) ? error.code : 'error';
    await write(io.stderr, `x-http: ${message} (${label})\n`);
  };
  let client: Client | undefined;
  let jarToSave: CookieJar | undefined;
  let code: number;
  try {
    const setup = await cliClientSetup(options, (text) => io.stderr.write(text));
    client = createClient(setup.options);
    const body = await buildCliBody(options, io.stdin);
    // From here on the exchange may change the jar (a redirect's Set-Cookie
    // counts even when a later hop fails): it is saved whatever the outcome.
    jarToSave = setup.jar;
    const url = body.query === undefined ? options.url : withQuery(options.url, body.query);
    code = await exchange(
      client,
      options,
      { url, body: body.body, headers: requestHeaders(options, body.headers) },
      io,
    );
  } catch (error) {
    await reportError(error);
    code = exitCodeFor(error);
  } finally {
    await client?.close();
  }
  if (jarToSave !== undefined && options.cookieJar !== undefined) {
    try {
      await saveCookieJar(jarToSave, options.cookieJar);
    } catch (error) {
      await reportError(outputError(error, `Saving the cookie jar to ${options.cookieJar} failed`));
      if (code === EXIT_CODES.ok) code = EXIT_CODES.write;
    }
  }
  return code;
}

/** What is sent: the URL (with -G's query), the body and every field. */
interface CliRequest {
  readonly url: string;
  readonly body: CliBody['body'];
  readonly headers: [string, string][];
}

async function exchange(
  client: Client,
  options: CliOptions,
  request: CliRequest,
  io: CliIo,
): Promise<number> {
  const { url, body, headers } = request;
  const method = options.method ?? (body === undefined ? 'GET' : 'POST');
  const clock = io.clock ?? systemClock();
  const bar =
    options.output !== undefined && io.progress && !options.silent
      ? createProgressBar((text) => io.stderr.write(text), clock)
      : undefined;

  if (options.output !== undefined && method === 'GET' && body === undefined && options.range === undefined) {
    // Plain GET to a file: the resumable download helper.
    const result = await client.download(url, options.output, {
      headers,
      signal: io.signal,
      clock,
      onProgress: bar ? (state) => bar.update(state.received, state.total, state.resumedFrom) : undefined,
    });
    bar?.finish();
    if (options.include)
      await writeOrFail(io.stdout, formatHead('1.1', result.status, result.reason, result.headers));
    return EXIT_CODES.ok;
  }

  const response = await client.request({ method, url, headers, body, signal: io.signal });
  if (options.failWithoutBody && response.status >= 400) {
    // curl's -f: nothing of the answer is output, the status is the error.
    await response.body.cancel().catch(() => undefined);
    throw new HttpClientError('HTTP_STATUS', `The requested URL returned error: ${response.status}`, {
      method,
      url: response.url,
      requestSent: true,
      details: { status: response.status, reason: response.reason },
    });
  }
  try {
    if (options.include) {
      await writeOrFail(
        io.stdout,
        formatHead(response.httpVersion, response.status, response.reason, response.headers),
      );
    }
    if (options.output !== undefined) await saveBody(response, options.output, bar);
    else await pipeBody(response, io.stdout);
  } catch (error) {
    // A body left unread (-i's head could not be written to a closed pipe)
    // would keep client.close() waiting for it: cancelling frees the socket.
    await response.body.cancel().catch(() => undefined);
    throw error;
  }
  return response.status >= 400 ? EXIT_CODES.httpStatus : EXIT_CODES.ok;
}

/** -H fields in order, then -u's Authorization, the body's implied fields unless -H set them, and -r's Range. */
function requestHeaders(
  options: CliOptions,
  implied: readonly (readonly [string, string])[],
): [string, string][] {
  const pairs: [string, string][] = options.headers.map(([name, value]) => [name, value]);
  if (options.authorization !== undefined) pairs.push(['Authorization', options.authorization]);
  const given = new Set(pairs.map(([name]) => name.toLowerCase()));
  for (const [name, value] of implied) if (!given.has(name.toLowerCase())) pairs.push([name, value]);
  if (options.range !== undefined) pairs.push(['Range', `bytes=${options.range}`]);
  return pairs;
}

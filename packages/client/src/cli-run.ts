import { readFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { type CookieJar, saveCookieJar } from '@x/cookies';
import { type Clock, HttpClientError, systemClock } from '@x/core';
import { parseCliArguments, USAGE } from './cli-arguments.js';
import { cliClientSetup } from './cli-client-options.js';
import { withQuery } from './cli-data-body.js';
import { exchange, requestHeaders, type Transfer } from './cli-exchange.js';
import { EXIT_CODES, exitCodeFor } from './cli-exit-codes.js';
import type { CliOptions } from './cli-options.js';
import { outputError, write } from './cli-output.js';
import { promptedAuthorization, type ReadPassword } from './cli-password-prompt.js';
import { createProgressBar } from './cli-progress.js';
import { buildCliBody } from './cli-request-body.js';
import { cliInputError } from './cli-request-error.js';
import { parseWriteOut, renderWriteOut, type WriteOutPiece } from './cli-write-out.js';
import { type Client, createClient } from './create-client.js';

/** Everything the CLI touches outside itself, so it runs in tests without a process of its own. */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: Readable;
  /** Draw a progress bar on stderr for -o (true when stderr is a terminal). */
  readonly progress: boolean;
  readonly signal?: AbortSignal | undefined;
  /** Times -w's %{time_total} and the progress bar. Default: the system clock. */
  readonly clock?: Clock | undefined;
  readonly version: string;
  /** Asks for -u's password with no echo; only given when stdin is a terminal (cli.ts). */
  readonly readPassword?: ReadPassword | undefined;
}

/** Runs one `x-http` command line and resolves with its exit code (see USAGE). Never rejects. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const command = parseCliArguments(argv);
  if (command.kind === 'help')
    return (await write(io.stdout, `${USAGE}\n`)) ? EXIT_CODES.ok : EXIT_CODES.write;
  if (command.kind === 'version')
    return (await write(io.stdout, `${io.version}\n`)) ? EXIT_CODES.ok : EXIT_CODES.write;
  if (command.kind === 'usage-error') return usageError(io, command.message);
  const options = command.options;
  const { readPassword } = io;
  if (options.promptUser !== undefined && readPassword === undefined) {
    const reason = 'no password given, and stdin is not a terminal to ask on (give -u user:password)';
    return usageError(io, `-u ${options.promptUser}: ${reason}`);
  }
  const reportError = async (error: unknown) => {
    if (options.silent && !options.showError) return;
    const message = error instanceof Error ? error.message : String(error);
    const label = HttpClientError.is(error) ? error.code : 'error';
    await write(io.stderr, `x-http: ${message} (${label})\n`);
  };
  const clock = io.clock ?? systemClock();
  const transfer: Transfer = { method: 'GET', redirects: 0, response: undefined, bytes: 0 };
  let url = options.url;
  let started = clock.monotonic();
  let writeOut: readonly WriteOutPiece[] | undefined;
  let client: Client | undefined;
  let jarToSave: CookieJar | undefined;
  let code: number;
  try {
    writeOut = await writeOutFormat(options);
    // Asked first: the terminal is stdin, which -d @- may read next.
    const authorization =
      options.promptUser === undefined || readPassword === undefined
        ? options.authorization
        : await promptedAuthorization(options.promptUser, readPassword);
    const setup = await cliClientSetup(
      options,
      (text) => io.stderr.write(text),
      (next) => {
        transfer.redirects++;
        transfer.method = next.method;
      },
    );
    client = createClient(setup.options);
    const body = await buildCliBody(options, io.stdin);
    // From here on the exchange may change the jar (a redirect's Set-Cookie
    // counts even when a later hop fails): it is saved whatever the outcome.
    jarToSave = setup.jar;
    if (body.query !== undefined) url = withQuery(options.url, body.query);
    transfer.method = options.method ?? (body.body === undefined ? 'GET' : 'POST');
    const bar =
      options.output !== undefined && io.progress && !options.silent
        ? createProgressBar((text) => io.stderr.write(text), clock)
        : undefined;
    const headers = requestHeaders(options, authorization, body.headers);
    started = clock.monotonic();
    code = await exchange(
      client,
      options,
      { url, method: transfer.method, body: body.body, headers },
      { stdout: io.stdout, signal: io.signal, clock, bar, transfer },
    );
  } catch (error) {
    await reportError(error);
    code = exitCodeFor(error);
  } finally {
    await client?.close();
  }
  const elapsed = clock.monotonic() - started;
  if (jarToSave !== undefined && options.cookieJar !== undefined) {
    try {
      await saveCookieJar(jarToSave, options.cookieJar);
    } catch (error) {
      await reportError(outputError(error, `Saving the cookie jar to ${options.cookieJar} failed`));
      if (code === EXIT_CODES.ok) code = EXIT_CODES.write;
    }
  }
  if (writeOut !== undefined) {
    const response = transfer.response;
    const summary = renderWriteOut(writeOut, {
      status: response?.status ?? 0,
      headers: response?.headers,
      sizeDownload: transfer.bytes,
      sizeHeader: response === undefined ? 0 : Buffer.byteLength(response.head, 'latin1'),
      elapsed,
      urlEffective: response?.url ?? url,
      redirects: transfer.redirects,
      method: transfer.method,
      exitCode: code,
    });
    if (!(await write(io.stdout, summary)) && code === EXIT_CODES.ok) code = EXIT_CODES.write;
  }
  return code;
}

/** Printed even with -s: the command line itself is wrong. */
async function usageError(io: CliIo, message: string): Promise<number> {
  await write(io.stderr, `x-http: ${message}\nTry 'x-http --help'.\n`);
  return EXIT_CODES.usage;
}

/** -w's format, read from its file for `@file` (INVALID_REQUEST, exit 2, when it cannot be read or parsed). */
async function writeOutFormat(options: CliOptions): Promise<readonly WriteOutPiece[] | undefined> {
  const given = options.writeOut;
  if (given === undefined || given.kind === 'format') return given?.pieces;
  let text: string;
  try {
    text = await readFile(given.path, 'utf8');
  } catch (cause) {
    throw cliInputError(`-w: cannot read ${given.path}: ${(cause as Error).message}`, cause);
  }
  const parsed = parseWriteOut(text);
  if (!parsed.ok) throw cliInputError(`${parsed.reason} (in ${given.path})`);
  return parsed.value;
}

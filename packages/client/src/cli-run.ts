import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { createFsStore } from '@x/cache';
import {
  type BodyInit,
  type Clock,
  HttpClientError,
  type HttpResponse,
  replayableBody,
  systemClock,
} from '@x/core';
import type { HeaderList } from '@x/headers';
import { type CliOptions, parseCliArguments, USAGE } from './cli-arguments.js';
import { EXIT_CODES, exitCodeFor } from './cli-exit-codes.js';
import { createProgressBar, type ProgressBar } from './cli-progress.js';
import type { CreateClientOptions } from './create-client.js';
import { createClient } from './create-client.js';

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
    await write(io.stderr, `x-http: ${command.message}\nTry 'x-http --help'.\n`);
    return EXIT_CODES.usage;
  }
  const options = command.options;
  let client: ReturnType<typeof createClient> | undefined;
  try {
    client = createClient(await clientOptions(options));
    const body = await requestBody(options, io.stdin);
    const method = options.method ?? (body === undefined ? 'GET' : 'POST');
    const headers = headerPairs(options);
    if (options.range !== undefined) headers.push(['Range', `bytes=${options.range}`]);
    const clock = io.clock ?? systemClock();
    const bar =
      options.output !== undefined && io.progress && !options.silent
        ? createProgressBar((text) => io.stderr.write(text), clock)
        : undefined;

    if (
      options.output !== undefined &&
      method === 'GET' &&
      body === undefined &&
      options.range === undefined
    ) {
      // Plain GET to a file: the resumable download helper.
      const result = await client.download(options.url, options.output, {
        headers,
        signal: io.signal,
        clock,
        onProgress: bar ? (state) => bar.update(state.received, state.total, state.resumedFrom) : undefined,
      });
      bar?.finish();
      if (options.include)
        await writeOrFail(io.stdout, head('1.1', result.status, result.reason, result.headers));
      return EXIT_CODES.ok;
    }

    const response = await client.request({ method, url: options.url, headers, body, signal: io.signal });
    if (options.include) {
      await writeOrFail(
        io.stdout,
        head(response.httpVersion, response.status, response.reason, response.headers),
      );
    }
    if (options.output !== undefined) await saveBody(response, options.output, bar);
    else await pipeBody(response, io.stdout);
    return response.status >= 400 ? EXIT_CODES.httpStatus : EXIT_CODES.ok;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const label = HttpClientError.is(error) ? error.code : 'error';
    await write(io.stderr, `x-http: ${message} (${label})\n`);
    return exitCodeFor(error);
  } finally {
    await client?.close();
  }
}

async function clientOptions(options: CliOptions): Promise<CreateClientOptions> {
  const result: CreateClientOptions = {
    timeout: {
      ...(options.timeout === undefined ? {} : { total: options.timeout * 1000 }),
      ...(options.connectTimeout === undefined ? {} : { connect: options.connectTimeout * 1000 }),
    },
    redirect: options.follow ? { maxRedirects: options.maxRedirects } : false,
    retry: options.retries === 0 ? false : { maxRetries: options.retries },
  };
  // The CLI is one user: a private cache (RFC 9111 §3.5).
  if (options.cacheDirectory !== undefined) {
    result.cache = { store: createFsStore({ directory: options.cacheDirectory }), shared: false };
  }
  if (options.caFile !== undefined) {
    const ca = await readInput(options.caFile, '--cacert');
    result.tls = { trust: { mode: 'extend', ca: ca.toString('utf8') } };
  }
  return result;
}

async function requestBody(options: CliOptions, stdin: Readable): Promise<BodyInit | undefined> {
  if (options.json !== undefined) {
    try {
      JSON.parse(options.json);
    } catch {
      throw usageError('--json is not valid JSON');
    }
    return options.json;
  }
  const data = options.data;
  if (data === undefined) return undefined;
  if (data === '@-') return stdin;
  if (!data.startsWith('@')) return data;
  const path = data.slice(1);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (cause) {
    throw usageError(`cannot read ${path}: ${(cause as Error).message}`, cause);
  }
  // Replayable (a redirect or retry can resend it) and streamed, never read whole into memory.
  return replayableBody(() => createReadStream(path) as AsyncIterable<Uint8Array>, size);
}

function headerPairs(options: CliOptions): [string, string][] {
  const pairs: [string, string][] = options.headers.map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });
  if (options.json !== undefined) {
    const has = (name: string) => pairs.some(([given]) => given.toLowerCase() === name);
    if (!has('content-type')) pairs.push(['Content-Type', 'application/json']);
    if (!has('accept')) pairs.push(['Accept', 'application/json']);
  }
  return pairs;
}

function head(version: string, status: number, reason: string, headers: HeaderList): string {
  let text = `HTTP/${version} ${status}${reason === '' ? '' : ` ${reason}`}\r\n`;
  for (const [name, value] of headers) text += `${name}: ${value}\r\n`;
  return `${text}\r\n`;
}

async function pipeBody(response: HttpResponse, output: Writable): Promise<void> {
  try {
    for await (const chunk of response.body) await writeOrFail(output, chunk);
  } catch (error) {
    await response.body.cancel();
    throw error;
  }
}

async function saveBody(response: HttpResponse, path: string, bar: ProgressBar | undefined): Promise<void> {
  const file = createWriteStream(path);
  let fileError: Error | undefined;
  file.on('error', (error) => {
    fileError = error;
  });
  let received = 0;
  try {
    for await (const chunk of response.body) {
      if (fileError !== undefined) throw outputError(fileError);
      received += chunk.byteLength;
      await writeOrFail(file, chunk);
      bar?.update(received, response.body.length, 0);
    }
    bar?.finish();
  } finally {
    await new Promise<void>((resolve) => {
      if (file.closed) resolve();
      else file.end(() => resolve());
      file.once('error', () => resolve());
    });
  }
  if (fileError !== undefined) throw outputError(fileError);
}

/** A bad --data/--json/--cacert argument found while preparing the request: exit code 2. */
function usageError(message: string, cause?: unknown): HttpClientError {
  return new HttpClientError('INVALID_REQUEST', message, { requestSent: false, cause });
}

/** A failure writing the output (a closed pipe, a full disk): exit code 23. */
function outputError(cause?: unknown): HttpClientError {
  return new HttpClientError('DOWNLOAD_WRITE_FAILED', 'Writing the output failed', { cause });
}

async function readInput(path: string, option: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw usageError(`${option}: cannot read ${path}: ${(cause as Error).message}`, cause);
  }
}

/**
 * Writes and waits for the write to complete (one chunk in flight: memory
 * stays flat whatever the body size); false when the stream failed, e.g.
 * EPIPE because the reader of a pipe went away.
 */
function write(stream: Writable, data: string | Uint8Array): Promise<boolean> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) {
      resolve(false);
      return;
    }
    const onError = () => resolve(false);
    stream.once('error', onError);
    stream.write(data, (error) => {
      stream.off('error', onError);
      resolve(error == null);
    });
  });
}

async function writeOrFail(stream: Writable, data: string | Uint8Array): Promise<void> {
  if (!(await write(stream, data))) throw outputError();
}

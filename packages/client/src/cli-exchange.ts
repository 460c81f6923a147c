/**
 * One `x-http` exchange: the request sent, the response written to stdout
 * or the -o file, and what -w reports about it recorded in a Transfer.
 */
import type { Writable } from 'node:stream';
import { type Clock, HttpClientError } from '@x/core';
import type { HeaderList } from '@x/headers';
import { EXIT_CODES } from './cli-exit-codes.js';
import type { CliOptions } from './cli-options.js';
import { formatHead, pipeBody, saveBody, writeOrFail } from './cli-output.js';
import type { ProgressBar } from './cli-progress.js';
import type { CliBody } from './cli-request-body.js';
import type { Client } from './create-client.js';

/** What is sent: the URL (with -G's query), the body and every field. */
export interface CliRequest {
  readonly url: string;
  readonly method: string;
  readonly body: CliBody['body'];
  readonly headers: [string, string][];
}

/** What the run learnt about the transfer, for -w; filled in as the exchange goes. */
export interface Transfer {
  /** The method of the last request sent; a followed redirect may change it. */
  method: string;
  redirects: number;
  /** The final response's head, once one arrived. */
  response: { status: number; head: string; headers: HeaderList; url: string } | undefined;
  /** Body bytes written. */
  bytes: number;
}

export interface ExchangeContext {
  readonly stdout: Writable;
  readonly signal: AbortSignal | undefined;
  readonly clock: Clock;
  readonly bar: ProgressBar | undefined;
  readonly transfer: Transfer;
}

/** Sends the request and writes the response; resolves with the exit code. */
export async function exchange(
  client: Client,
  options: CliOptions,
  request: CliRequest,
  context: ExchangeContext,
): Promise<number> {
  const { url, method, body, headers } = request;
  const { bar, transfer, stdout } = context;

  if (options.output !== undefined && method === 'GET' && body === undefined && options.range === undefined) {
    // Plain GET to a file: the resumable download helper.
    const result = await client.download(url, options.output, {
      headers,
      signal: context.signal,
      clock: context.clock,
      onProgress: bar ? (state) => bar.update(state.received, state.total, state.resumedFrom) : undefined,
    });
    bar?.finish();
    const head = formatHead('1.1', result.status, result.reason, result.headers);
    transfer.response = { status: result.status, head, headers: result.headers, url: result.url.href };
    transfer.bytes = result.bytes;
    if (options.include) await writeOrFail(stdout, head);
    return EXIT_CODES.ok;
  }

  const response = await client.request({ method, url, headers, body, signal: context.signal });
  const head = formatHead(response.httpVersion, response.status, response.reason, response.headers);
  transfer.response = { status: response.status, head, headers: response.headers, url: response.url.href };
  if (options.failWithoutBody && response.status >= 400) {
    // curl's -f: nothing of the answer is output, the status is the error.
    await response.body.cancel().catch(() => undefined);
    throw new HttpClientError('HTTP_STATUS', `The requested URL returned error: ${response.status}`, {
      method: transfer.method,
      url: response.url,
      requestSent: true,
      details: { status: response.status, reason: response.reason },
    });
  }
  const count = (bytes: number) => {
    transfer.bytes += bytes;
  };
  try {
    if (options.include) await writeOrFail(stdout, head);
    if (options.output !== undefined) await saveBody(response, options.output, bar, count);
    else await pipeBody(response, stdout, count);
  } catch (error) {
    // A body left unread (-i's head could not be written to a closed pipe)
    // would keep client.close() waiting for it: cancelling frees the socket.
    await response.body.cancel().catch(() => undefined);
    throw error;
  }
  return response.status >= 400 ? EXIT_CODES.httpStatus : EXIT_CODES.ok;
}

/** -H fields in order, then -u's Authorization, the body's implied fields unless -H set them, and -r's Range. */
export function requestHeaders(
  options: CliOptions,
  authorization: string | undefined,
  implied: readonly (readonly [string, string])[],
): [string, string][] {
  const pairs: [string, string][] = options.headers.map(([name, value]) => [name, value]);
  if (authorization !== undefined) pairs.push(['Authorization', authorization]);
  const given = new Set(pairs.map(([name]) => name.toLowerCase()));
  for (const [name, value] of implied) if (!given.has(name.toLowerCase())) pairs.push([name, value]);
  if (options.range !== undefined) pairs.push(['Range', `bytes=${options.range}`]);
  return pairs;
}

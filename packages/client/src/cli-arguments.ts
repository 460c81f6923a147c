/**
 * The `x-http` command line, parsed by hand (no dependency) and strictly:
 * an unknown option, a missing value, a malformed value or two options that
 * contradict each other is a usage error (exit 2) naming the problem, and
 * nothing is sent. See cli-option-table.ts for the spellings.
 */
import { isToken, type Parsed } from '@x/headers';
import { DATA_KEYS, parseDataPart, stdinReaders } from './cli-data-parts.js';
import {
  checkNoProxy,
  checkProxy,
  hasLineBreakOrNul,
  parseFormField,
  parseHeaderLine,
  parsePins,
  parseUser,
} from './cli-option-values.js';
import type { CliOptions } from './cli-options.js';
import { type Collected, collect, UsageError } from './cli-tokenizer.js';
import { parseWriteOut } from './cli-write-out.js';

export type { CliOptions } from './cli-options.js';
export { USAGE } from './cli-usage.js';

export type CliCommand =
  | { readonly kind: 'run'; readonly options: CliOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'usage-error'; readonly message: string };

export function parseCliArguments(argv: readonly string[]): CliCommand {
  try {
    const collected = collect(argv);
    if (collected.flags.has('help')) return { kind: 'help' };
    if (collected.flags.has('version')) return { kind: 'version' };
    return { kind: 'run', options: assemble(collected) };
  } catch (error) {
    if (error instanceof UsageError) return { kind: 'usage-error', message: error.message };
    throw error;
  }
}

function assemble({ flags, values, lists, positional }: Collected): CliOptions {
  for (const argument of positional) {
    if (hasLineBreakOrNul(argument)) throw new UsageError('an argument contains CR, LF or NUL');
  }
  let method = values.get('request');
  if (positional.length === 2 && isToken(positional[0] as string) && /^[A-Z]/.test(positional[0] as string)) {
    if (method !== undefined) throw new UsageError('the method is given twice');
    method = positional.shift();
  }
  if (positional.length !== 1) {
    throw new UsageError(
      positional.length === 0 ? 'a URL is required' : `unexpected argument ${positional[1]}`,
    );
  }
  if (method !== undefined && !isToken(method))
    throw new UsageError(`the method ${JSON.stringify(method)} is not a token (RFC 9110 §9.1)`);
  const url = checkUrl(positional[0] as string);

  const listed = (key: string) => lists.filter((entry) => entry.key === key).map((entry) => entry.value);

  const headers = listed('header').map((line) => ok(parseHeaderLine(line)));
  const user = values.get('user');
  const credentials = user === undefined ? undefined : ok(parseUser(user));
  if (credentials !== undefined && headers.some(([name]) => name.toLowerCase() === 'authorization'))
    throw new UsageError('give either -u or an Authorization header');

  const form = lists
    .filter((entry) => entry.key === 'form' || entry.key === 'form-string')
    .map((entry) => ok(parseFormField(entry.value, entry.key === 'form-string')));
  if (form.filter((field) => field.kind !== 'text' && field.path === '-').length > 1)
    throw new UsageError('only one -F field can read stdin (@- or <-)');
  const data = lists
    .filter((entry) => DATA_KEYS.has(entry.key))
    .map((entry) => ok(parseDataPart(entry.key, entry.value)));
  if (stdinReaders(data) > 1) throw new UsageError('only one data option can read stdin (@-)');
  const bodyKinds = [
    data.length > 0 && '--data',
    values.has('json') && '--json',
    form.length > 0 && '-F/--form-string',
  ].filter((kind): kind is string => kind !== false);
  if (bodyKinds.length > 1) throw new UsageError(`give only one body option, not ${bodyKinds.join(' and ')}`);
  const getQuery = flags.has('get');
  if (getQuery && (values.has('json') || form.length > 0))
    throw new UsageError('-G sends --data as the query: it cannot send --json or -F');

  exclusive(flags, 'follow', 'no-follow', '--follow', '--no-follow');
  exclusive(flags, 'fail', 'fail-with-body', '--fail', '--fail-with-body');
  exclusive(flags, 'compressed', 'no-decode', '--compressed', '--no-decode');
  if (flags.has('proxy-env') && (values.has('proxy') || values.has('noproxy')))
    throw new UsageError('give either --proxy-env or --proxy/--noproxy');
  const proxy = values.get('proxy');
  if (proxy !== undefined) ok(checkProxy(proxy));
  const noProxy = values.get('noproxy');
  if (noProxy !== undefined) {
    if (proxy === undefined) throw new UsageError('--noproxy needs --proxy');
    ok(checkNoProxy(noProxy));
  }

  const proxyCaFile = values.get('proxy-cacert');
  if (proxyCaFile !== undefined && (proxy === undefined || !/^https:\/\//i.test(proxy)))
    throw new UsageError('--proxy-cacert is for an https:// proxy given with -x/--proxy');

  const pins = listed('pin').flatMap((text) => ok(parsePins(text)));
  if (pins.length > 0 && url.protocol !== 'https:') throw new UsageError('--pin needs an https:// URL');

  const writeOutText = values.get('write-out');
  const writeOut =
    writeOutText === undefined
      ? undefined
      : writeOutText.startsWith('@')
        ? { kind: 'file' as const, path: writeOutText.slice(1) }
        : { kind: 'format' as const, pieces: ok(parseWriteOut(writeOutText)) };
  if (writeOut?.kind === 'file' && writeOut.path === '') throw new UsageError('-w @: needs a file path');

  const range = values.get('range');
  if (range !== undefined && !/^(\d+-\d*|-\d+)(,(\d+-\d*|-\d+))*$/.test(range))
    throw new UsageError(`--range ${JSON.stringify(range)} is not like 0-99 or 0-99,-500`);
  for (const key of ['output', 'cache-dir', 'cookie-jar', 'cacert', 'proxy-cacert']) {
    if (values.get(key) === '') throw new UsageError(`--${key} needs a path`);
  }

  return {
    method,
    url: positional[0] as string,
    headers,
    authorization: credentials?.kind === 'authorization' ? credentials.value : undefined,
    promptUser: credentials?.kind === 'prompt' ? credentials.user : undefined,
    data,
    getQuery,
    json: values.get('json'),
    form,
    include: flags.has('include'),
    failWithoutBody: flags.has('fail'),
    writeOut,
    follow: !flags.has('no-follow'),
    maxRedirects: number(values, 'max-redirects', 'integer'),
    output: values.get('output'),
    range,
    cacheDirectory: values.get('cache-dir'),
    cookieJar: values.get('cookie-jar'),
    timeout: number(values, 'timeout', 'seconds'),
    connectTimeout: number(values, 'connect-timeout', 'seconds'),
    retries: number(values, 'retries', 'integer'),
    caFile: values.get('cacert'),
    pins,
    proxy,
    noProxy,
    proxyCaFile,
    proxyEnvironment: flags.has('proxy-env'),
    decode: !flags.has('no-decode'),
    verbose: flags.has('verbose'),
    silent: flags.has('silent'),
    showError: flags.has('show-error'),
  };
}

/** An absolute http: or https: URL (the only schemes the client speaks, SECURITY.md rule 25). */
function checkUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${JSON.stringify(text)} is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`only http:// and https:// URLs are supported, not ${url.protocol}`);
  return url;
}

/** Whole numbers ≥ 0 for counts; seconds > 0 (a deadline of 0 could never be met). */
function number(values: Map<string, string>, key: string, kind: 'integer' | 'seconds'): number | undefined {
  const text = values.get(key);
  if (text === undefined) return undefined;
  const value = Number(text);
  const valid =
    text.trim() !== '' &&
    Number.isFinite(value) &&
    (kind === 'integer' ? Number.isInteger(value) && value >= 0 : value > 0);
  if (!valid) {
    const wanted = kind === 'integer' ? 'a whole number' : 'a number of seconds above 0';
    throw new UsageError(`--${key} needs ${wanted}, not ${JSON.stringify(text)}`);
  }
  return value;
}

function exclusive(flags: Set<string>, first: string, second: string, firstName: string, secondName: string) {
  if (flags.has(first) && flags.has(second))
    throw new UsageError(`give either ${firstName} or ${secondName}`);
}

function ok<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new UsageError(parsed.reason);
  return parsed.value;
}

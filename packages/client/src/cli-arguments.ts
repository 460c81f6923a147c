/**
 * The `x-http` command line, parsed by hand (no dependency): curl's short
 * names where they exist, long names with `--name value` or `--name=value`.
 */

export interface CliOptions {
  readonly method: string | undefined;
  readonly url: string;
  /** "Name: value" lines as given, in order. */
  readonly headers: readonly string[];
  /** -d: literal text, "@file", or "@-" for stdin. */
  readonly data: string | undefined;
  /** --json: JSON text sent with Content-Type and Accept application/json. */
  readonly json: string | undefined;
  readonly include: boolean;
  readonly follow: boolean;
  readonly maxRedirects: number | undefined;
  readonly output: string | undefined;
  /** -r: "0-99", "-500", "100-", or several joined by commas. */
  readonly range: string | undefined;
  readonly cacheDirectory: string | undefined;
  /** Seconds. */
  readonly timeout: number | undefined;
  readonly connectTimeout: number | undefined;
  readonly retries: number | undefined;
  readonly caFile: string | undefined;
  readonly silent: boolean;
}

export type CliCommand =
  | { readonly kind: 'run'; readonly options: CliOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'usage-error'; readonly message: string };

export const USAGE = `Usage: x-http [METHOD] <url> [options]

  -X, --request <method>     method (default GET, or POST with -d/--json)
  -H, --header <line>        request header "Name: value" (repeatable)
  -d, --data <text|@file|@-> request body (@- reads stdin)
      --json <text>          JSON body; sets Content-Type and Accept
  -i, --include              print the status line and headers before the body
  -L, --follow               follow redirects (default)
      --no-follow            return redirects as they are
      --max-redirects <n>    redirects followed before failing (default 20)
  -o, --output <file>        write the body to a file (GET downloads resume after a cut);
                             shows a progress bar when stderr is a terminal
  -r, --range <ranges>       byte ranges, e.g. 0-99 or 0-99,-500
      --cache-dir <dir>      cache responses in this directory (RFC 9111, private cache)
      --timeout <seconds>    deadline for the whole exchange
      --connect-timeout <s>  deadline for connecting (default 10)
      --retries <n>          retries of safe requests after transient failures (default 2)
      --cacert <file>        also trust the CA certificates in this PEM file
  -s, --silent               no progress bar
  -h, --help                 this text
  -V, --version              the version

Exit codes: 0 success, 1 other failure, 2 usage error, 6 DNS failure, 7 connect failure,
8 protocol error, 22 HTTP status >= 400, 23 write error, 28 timeout, 35 TLS failure,
47 too many redirects, 56 connection closed mid-response, 130 interrupted.`;

const VALUE_OPTIONS: Readonly<Record<string, string>> = {
  '-X': 'request',
  '--request': 'request',
  '-H': 'header',
  '--header': 'header',
  '-d': 'data',
  '--data': 'data',
  '--json': 'json',
  '--max-redirects': 'max-redirects',
  '-o': 'output',
  '--output': 'output',
  '-r': 'range',
  '--range': 'range',
  '--cache-dir': 'cache-dir',
  '--timeout': 'timeout',
  '--connect-timeout': 'connect-timeout',
  '--retries': 'retries',
  '--cacert': 'cacert',
};

const FLAG_OPTIONS: Readonly<Record<string, string>> = {
  '-i': 'include',
  '--include': 'include',
  '-L': 'follow',
  '--follow': 'follow',
  '--no-follow': 'no-follow',
  '-s': 'silent',
  '--silent': 'silent',
  '-h': 'help',
  '--help': 'help',
  '-V': 'version',
  '--version': 'version',
};

const METHOD = /^[A-Z][A-Z0-9_-]*$/;

export function parseCliArguments(argv: readonly string[]): CliCommand {
  const values = new Map<string, string>();
  const headers: string[] = [];
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    if (argument === '--') {
      positional.push(...argv.slice(index + 1));
      break;
    }
    const equals = argument.startsWith('--') ? argument.indexOf('=') : -1;
    const name = equals === -1 ? argument : argument.slice(0, equals);
    const valueKey = VALUE_OPTIONS[name];
    if (valueKey !== undefined) {
      const value = equals === -1 ? argv[++index] : argument.slice(equals + 1);
      if (value === undefined) return usageError(`${name} needs a value`);
      if (valueKey === 'header') headers.push(value);
      else values.set(valueKey, value);
      continue;
    }
    const flagKey = FLAG_OPTIONS[argument];
    if (flagKey !== undefined) {
      flags.add(flagKey);
      continue;
    }
    if (argument.startsWith('-') && argument !== '-') return usageError(`unknown option ${argument}`);
    positional.push(argument);
  }
  if (flags.has('help')) return { kind: 'help' };
  if (flags.has('version')) return { kind: 'version' };

  let method = values.get('request');
  if (positional.length === 2 && METHOD.test(positional[0] as string)) {
    if (method !== undefined) return usageError('the method is given twice');
    method = positional.shift();
  }
  if (positional.length !== 1) {
    return usageError(positional.length === 0 ? 'a URL is required' : `unexpected argument ${positional[1]}`);
  }
  if (values.has('data') && values.has('json')) return usageError('give either --data or --json');
  for (const line of headers) {
    if (line.indexOf(':') <= 0) return usageError(`header ${JSON.stringify(line)} is not "Name: value"`);
  }
  if (flags.has('follow') && flags.has('no-follow')) return usageError('give either --follow or --no-follow');
  const numbers: Record<string, number | undefined> = {};
  for (const key of ['max-redirects', 'timeout', 'connect-timeout', 'retries']) {
    const text = values.get(key);
    if (text === undefined) continue;
    const value = Number(text);
    const integer = key === 'max-redirects' || key === 'retries';
    if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
      return usageError(`--${key} needs a ${integer ? 'whole ' : ''}number, not ${JSON.stringify(text)}`);
    }
    if ((key === 'timeout' || key === 'connect-timeout') && value === 0)
      return usageError(`--${key} must be above 0`);
    numbers[key] = value;
  }
  const range = values.get('range');
  if (range !== undefined && !/^(\d+-\d*|-\d+)(,(\d+-\d*|-\d+))*$/.test(range)) {
    return usageError(`--range ${JSON.stringify(range)} is not like 0-99 or 0-99,-500`);
  }
  return {
    kind: 'run',
    options: {
      method,
      url: positional[0] as string,
      headers,
      data: values.get('data'),
      json: values.get('json'),
      include: flags.has('include'),
      follow: !flags.has('no-follow'),
      maxRedirects: numbers['max-redirects'],
      output: values.get('output'),
      range,
      cacheDirectory: values.get('cache-dir'),
      timeout: numbers.timeout,
      connectTimeout: numbers['connect-timeout'],
      retries: numbers.retries,
      caFile: values.get('cacert'),
      silent: flags.has('silent'),
    },
  };
}

function usageError(message: string): CliCommand {
  return { kind: 'usage-error', message };
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CliCommand, parseCliArguments, USAGE } from '../src/cli-arguments.js';
import { LONG_OPTIONS, SHORT_OPTIONS } from '../src/cli-option-table.js';

function run(argv: string[]) {
  const command: CliCommand = parseCliArguments(argv);
  if (command.kind !== 'run') throw new Error(`expected a run command, got ${JSON.stringify(command)}`);
  return command.options;
}

function usage(argv: string[]): string {
  const command = parseCliArguments(argv);
  if (command.kind !== 'usage-error') throw new Error(`expected a usage error, got ${command.kind}`);
  return command.message;
}

describe('parseCliArguments', () => {
  it('reads METHOD URL and defaults', () => {
    expect(run(['DELETE', 'http://h/x'])).toMatchObject({
      method: 'DELETE',
      url: 'http://h/x',
      follow: true,
      include: false,
      silent: false,
      headers: [],
    });
    expect(run(['http://h/']).method).toBeUndefined();
  });

  it('reads repeated headers, values after = and flags in any order', () => {
    const options = run([
      '-H',
      'A: 1',
      'http://h/',
      '--header=B: 2',
      '-i',
      '--no-follow',
      '-o',
      'out.bin',
      '-s',
    ]);
    expect(options.headers).toEqual([
      ['A', '1'],
      ['B', '2'],
    ]);
    expect(options).toMatchObject({ include: true, follow: false, output: 'out.bin', silent: true });
  });

  it('reads numbers, ranges, cache and CA options', () => {
    expect(
      run([
        'http://h/',
        '--timeout',
        '2.5',
        '--connect-timeout=1',
        '--retries',
        '0',
        '--max-redirects',
        '3',
        '-r',
        '0-99,-5',
        '--cache-dir',
        '/tmp/c',
        '--cacert',
        'ca.pem',
      ]),
    ).toMatchObject({
      timeout: 2.5,
      connectTimeout: 1,
      retries: 0,
      maxRedirects: 3,
      range: '0-99,-5',
      cacheDirectory: '/tmp/c',
      caFile: 'ca.pem',
    });
  });

  it('treats everything after -- as positional', () => {
    expect(run(['--', 'http://h/-i']).url).toBe('http://h/-i');
  });

  it('answers help and version', () => {
    expect(parseCliArguments(['--help', 'http://h/']).kind).toBe('help');
    expect(parseCliArguments(['-V']).kind).toBe('version');
  });

  it('reports usage errors', () => {
    expect(usage([])).toMatch(/URL is required/);
    expect(usage(['http://h/', 'extra'])).toMatch(/unexpected argument/);
    expect(usage(['--bogus', 'http://h/'])).toMatch(/unknown option --bogus/);
    expect(usage(['http://h/', '-H'])).toMatch(/-H needs a value/);
    expect(usage(['http://h/', '-H', 'no colon'])).toMatch(/not "Name: value"/);
    expect(usage(['http://h/', '-d', 'a', '--json', '{}'])).toMatch(
      /only one body option, not --data and --json/,
    );
    expect(usage(['http://h/', '--timeout', 'soon'])).toMatch(/--timeout needs a number of seconds/);
    expect(usage(['http://h/', '--timeout', '0'])).toMatch(/above 0/);
    expect(usage(['http://h/', '--retries', '1.5'])).toMatch(/whole number/);
    expect(usage(['http://h/', '-r', 'bytes=0-1'])).toMatch(/--range/);
    expect(usage(['-X', 'PUT', 'POST', 'http://h/'])).toMatch(/method is given twice/);
    expect(usage(['http://h/', '-L', '--no-follow'])).toMatch(/--follow or --no-follow/);
  });
});

const PIN = `sha256/${Buffer.alloc(32, 7).toString('base64')}`;

describe('parseCliArguments: curl-style flags', () => {
  it('combines short flags and takes values attached or next', () => {
    expect(run(['-sSLiv', 'http://h/'])).toMatchObject({
      silent: true,
      showError: true,
      follow: true,
      include: true,
      verbose: true,
    });
    expect(run(['-XPUT', '-HA: 1', 'http://h/'])).toMatchObject({ method: 'PUT', headers: [['A', '1']] });
    expect(run(['-sX', 'PATCH', 'http://h/'])).toMatchObject({ method: 'PATCH', silent: true });
    expect(usage(['-sq', 'http://h/'])).toMatch(/unknown option -q/);
    expect(usage(['--silent=yes', 'http://h/'])).toMatch(/--silent takes no value/);
  });

  it('reads aliases: --max-time, -m, --retry, --location, --pinnedpubkey', () => {
    expect(run(['--max-time', '3', '--retry', '4', 'http://h/'])).toMatchObject({ timeout: 3, retries: 4 });
    expect(run(['-m', '0.5', '--location', 'http://h/'])).toMatchObject({ timeout: 0.5, follow: true });
    expect(run(['--pinnedpubkey', PIN, 'https://h/']).pins).toEqual([PIN]);
    expect(run(['--max-redirs', '4', '--retries', '1', 'http://h/'])).toMatchObject({
      maxRedirects: 4,
      retries: 1,
    });
    expect(run(['--timeout=7', 'http://h/']).timeout).toBe(7);
  });

  it('turns -u into a Basic Authorization value, -u user into a prompt, and refuses a second Authorization', () => {
    expect(run(['-u', 'aladdin:open sesame', 'http://h/']).authorization).toBe(
      'Basic YWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    );
    expect(run(['-u', 'user:', 'http://h/']).authorization).toBe(`Basic ${btoa('user:')}`);
    expect(run(['-u', 'user', 'http://h/'])).toMatchObject({ authorization: undefined, promptUser: 'user' });
    expect(run(['-u', 'a:b', 'http://h/']).promptUser).toBeUndefined();
    expect(usage(['-u', 'us\u0001er', 'http://h/'])).toMatch(/-u: .*control characters/);
    expect(usage(['-u', 'user', '-H', 'Authorization: Bearer x', 'http://h/'])).toMatch(/either -u or/);
    expect(usage(['-u', 'a:b', '-H', 'authorization: Bearer x', 'http://h/'])).toMatch(/either -u or/);
    expect(usage(['-u', 'a:b\u0001', 'http://h/'])).toMatch(/-u: .*control characters/);
  });

  it('reads -F fields and --form-string in order, with file settings', () => {
    const options = run([
      '-F',
      'a=1',
      '--form-string',
      'b=@literal',
      '-F',
      'c=@/tmp/x.png;type=image/png;filename=y.png',
      '-F',
      'd=<notes.txt',
      '-F',
      'e=@plain.bin',
      'http://h/',
    ]);
    expect(options.form).toEqual([
      { kind: 'text', name: 'a', value: '1' },
      { kind: 'text', name: 'b', value: '@literal' },
      { kind: 'file', name: 'c', path: '/tmp/x.png', type: 'image/png', filename: 'y.png' },
      { kind: 'file-text', name: 'd', path: 'notes.txt' },
      { kind: 'file', name: 'e', path: 'plain.bin', type: undefined, filename: undefined },
    ]);
    expect(run(['-F', 'text=line 1\nline 2', 'http://h/']).form).toEqual([
      { kind: 'text', name: 'text', value: 'line 1\nline 2' },
    ]);
    expect(usage(['-F', 'novalue', 'http://h/'])).toMatch(/not name=value/);
    expect(usage(['-F', '=x', 'http://h/'])).toMatch(/not name=value/);
    expect(usage(['-F', 'f=@', 'http://h/'])).toMatch(/needs a file path/);
    expect(usage(['-F', 'f=@a;type=nonsense', 'http://h/'])).toMatch(/not a media type/);
    expect(usage(['-F', 'f=@a;colour=red', 'http://h/'])).toMatch(/unknown setting/);
    expect(usage(['-F', 'f=@a;filename=x\r\nX-Injected: 1', 'http://h/'])).toMatch(/CR, LF or NUL/);
    expect(usage(['-F', 'na\nme=1', 'http://h/'])).toMatch(/CR, LF or NUL/);
    expect(usage(['-F', 'a=1', '-d', 'x', 'http://h/'])).toMatch(/only one body option/);
  });

  it('reads --data-urlencode parts as curl does', () => {
    expect(
      run([
        '--data-urlencode',
        'plain text',
        '--data-urlencode',
        '=a=b',
        '--data-urlencode',
        'name=x&y',
        '--data-urlencode',
        '@file.txt',
        '--data-urlencode',
        'n@other.txt',
        'http://h/',
      ]).data.map((part) => (part.kind === 'urlencode' ? part.part : part)),
    ).toEqual([
      { kind: 'text', name: undefined, content: 'plain text' },
      { kind: 'text', name: undefined, content: 'a=b' },
      { kind: 'text', name: 'name', content: 'x&y' },
      { kind: 'file', name: undefined, path: 'file.txt' },
      { kind: 'file', name: 'n', path: 'other.txt' },
    ]);
    expect(usage(['--data-urlencode', 'x@', 'http://h/'])).toMatch(/@ needs a file path/);
    expect(usage(['--data-urlencode', 'a=1', '--json', '{}', 'http://h/'])).toMatch(/only one body option/);
  });

  it('keeps -d, --data-raw, --data-binary and --data-urlencode parts in order; -G refuses --json and -F', () => {
    const options = run([
      '-d',
      'a=1',
      '--data-raw',
      '@not-a-file',
      '--data-binary',
      '@bytes.bin',
      '--data-urlencode',
      'q=x y',
      '--data',
      '@form.txt',
      '-G',
      'http://h/',
    ]);
    expect(options.getQuery).toBe(true);
    expect(options.data).toEqual([
      { kind: 'literal', text: 'a=1' },
      { kind: 'literal', text: '@not-a-file' },
      { kind: 'file', path: 'bytes.bin', keepLineBreaks: true },
      { kind: 'urlencode', part: { kind: 'text', name: 'q', content: 'x y' } },
      { kind: 'file', path: 'form.txt', keepLineBreaks: false },
    ]);
    expect(run(['-d', 'a', 'http://h/']).getQuery).toBe(false);
    expect(usage(['-d', '@', 'http://h/'])).toMatch(/-d @: needs a file path/);
    expect(usage(['-d', '@-', '--data-binary', '@-', 'http://h/'])).toMatch(
      /only one data option can read stdin/,
    );
    expect(usage(['-G', '--json', '{}', 'http://h/'])).toMatch(/-G sends --data as the query/);
    expect(usage(['--get', '-F', 'a=1', 'http://h/'])).toMatch(/-G sends --data as the query/);
  });

  it('reads proxy options and refuses malformed or contradicting ones', () => {
    expect(
      run(['-x', 'http://u:p@127.0.0.1:3128', '--noproxy', 'localhost,.internal', 'http://h/']),
    ).toMatchObject({
      proxy: 'http://u:p@127.0.0.1:3128',
      noProxy: 'localhost,.internal',
      proxyEnvironment: false,
    });
    expect(run(['--proxy-env', 'http://h/']).proxyEnvironment).toBe(true);
    // SOCKS5 proxies are @x/proxy's since it learned RFC 1928: the CLI passes them on.
    expect(run(['--proxy', 'socks5h://127.0.0.1:1080', 'http://h/']).proxy).toBe('socks5h://127.0.0.1:1080');
    expect(usage(['--proxy', 'http://[bad', 'http://h/'])).toMatch(/not a valid URL/);
    expect(usage(['--proxy', '', 'http://h/'])).toMatch(/--proxy needs a URL/);
    expect(usage(['--noproxy', 'a', 'http://h/'])).toMatch(/--noproxy needs --proxy/);
    expect(usage(['-x', 'http://p:1', '--noproxy', 'host:99999', 'http://h/'])).toMatch(/--noproxy entry/);
    expect(usage(['--proxy-env', '-x', 'http://p:1', 'http://h/'])).toMatch(/either --proxy-env or/);
    expect(run(['-x', 'https://p:1', '--proxy-cacert', 'ca.pem', 'http://h/']).proxyCaFile).toBe('ca.pem');
    expect(usage(['-x', 'http://p:1', '--proxy-cacert', 'ca.pem', 'http://h/'])).toMatch(
      /for an https:\/\/ proxy/,
    );
    expect(usage(['--proxy-cacert', 'ca.pem', 'http://h/'])).toMatch(
      /--proxy-cacert is for an https:\/\/ proxy/,
    );
  });

  it('reads pins, joined with ; or repeated, curl form included, for https: only', () => {
    const other = `sha256/${Buffer.alloc(32, 9).toString('base64')}`;
    const curlForm = other.replace('sha256/', 'sha256//');
    expect(run(['--pin', `${PIN};${curlForm}`, '--pin', PIN, 'https://h/']).pins).toEqual([PIN, other, PIN]);
    expect(usage(['--pin', 'sha256/short', 'https://h/'])).toMatch(/not sha256\/<base64 of 32 bytes>/);
    expect(usage(['--pin', 'md5/abc', 'https://h/'])).toMatch(/--pin/);
    expect(usage(['--pin', PIN, 'http://h/'])).toMatch(/--pin needs an https:\/\/ URL/);
  });

  it('reads cookie jar, decoding and output switches', () => {
    expect(run(['-c', 'jar.json', '--no-decode', 'http://h/'])).toMatchObject({
      cookieJar: 'jar.json',
      decode: false,
    });
    expect(run(['--compressed', 'http://h/']).decode).toBe(true);
    expect(usage(['--compressed', '--no-decode', 'http://h/'])).toMatch(/--compressed or --no-decode/);
    expect(usage(['--cookie-jar', '', 'http://h/'])).toMatch(/--cookie-jar needs a path/);
  });

  it('refuses CR, LF and NUL in every header, credential, path and URL, without echoing the value', () => {
    const cases: string[][] = [
      ['-H', 'X-A: 1\r\nX-Injected: 1', 'http://h/'],
      ['-H', 'X-A: secret\u0000', 'http://h/'],
      ['-u', 'user:pa\nss', 'http://h/'],
      ['-x', 'http://p:1/\r\n', 'http://h/'],
      ['-o', 'out\n.bin', 'http://h/'],
      ['-c', 'jar\r.json', 'http://h/'],
      ['-X', 'GET\r\n', 'http://h/'],
      ['-d', '@file\n', 'http://h/'],
      ['http://h/a\r\nX-Injected: 1'],
    ];
    for (const argv of cases) {
      const message = usage(argv);
      expect(message).toMatch(/CR, LF or NUL/);
      expect(message).not.toMatch(/secret|pa\nss|Injected/);
    }
    expect(usage(['-H', 'Bad Name: 1', 'http://h/'])).toMatch(/not a token/);
    expect(usage(['-H', 'X-A: \u0001', 'http://h/'])).toMatch(/header X-A: the value/);
    expect(usage(['-X', 'GE T', 'http://h/'])).toMatch(/not a token/);
    // A body may hold line breaks: they are content, not a head.
    expect(run(['-d', 'line 1\r\nline 2', 'http://h/']).data).toEqual([
      { kind: 'literal', text: 'line 1\r\nline 2' },
    ]);
  });

  it('refuses URLs that are not absolute http: or https:', () => {
    expect(usage(['/relative'])).toMatch(/not an absolute URL/);
    expect(usage(['ftp://h/file'])).toMatch(/only http:\/\/ and https:\/\//);
  });
});

describe('x-http documentation', () => {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const cliSection = readme.slice(readme.indexOf('## The `x-http` command'), readme.indexOf('## Errors'));

  it('lists every spelling the parser accepts in --help and in the README', () => {
    const spellings = [...LONG_OPTIONS.keys(), ...[...SHORT_OPTIONS.keys()].map((letter) => `-${letter}`)];
    for (const spelling of spellings) {
      expect(USAGE, spelling).toMatch(new RegExp(`(^|[\\s,(])${spelling}([\\s,)=<]|$)`, 'm'));
      expect(cliSection, spelling).toMatch(new RegExp(`[\`/]${spelling}[\\s/\`=]`));
    }
  });
});

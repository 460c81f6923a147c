import { describe, expect, it } from 'vitest';
import { type CliCommand, parseCliArguments } from '../src/cli-arguments.js';

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
    expect(options.headers).toEqual(['A: 1', 'B: 2']);
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
    expect(usage(['http://h/', '-d', 'a', '--json', '{}'])).toMatch(/either --data or --json/);
    expect(usage(['http://h/', '--timeout', 'soon'])).toMatch(/--timeout needs a number/);
    expect(usage(['http://h/', '--timeout', '0'])).toMatch(/above 0/);
    expect(usage(['http://h/', '--retries', '1.5'])).toMatch(/whole number/);
    expect(usage(['http://h/', '-r', 'bytes=0-1'])).toMatch(/--range/);
    expect(usage(['-X', 'PUT', 'POST', 'http://h/'])).toMatch(/method is given twice/);
    expect(usage(['http://h/', '-L', '--no-follow'])).toMatch(/--follow or --no-follow/);
  });
});

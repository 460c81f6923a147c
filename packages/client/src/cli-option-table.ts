/**
 * The options `x-http` knows, by spelling: curl's short and long names where
 * curl has the option, so a curl command line mostly works as it is.
 *
 * - `flag`: no value;
 * - `value`: one value, a later one replaces an earlier one (as in curl);
 * - `list`: repeatable, every value kept in command-line order.
 */
export type OptionKind = 'flag' | 'value' | 'list';

export interface OptionSpec {
  /** The key the parser files the value under (aliases share one). */
  readonly key: string;
  readonly kind: OptionKind;
}

const flag = (key: string): OptionSpec => ({ key, kind: 'flag' });
const value = (key: string): OptionSpec => ({ key, kind: 'value' });
const list = (key: string): OptionSpec => ({ key, kind: 'list' });

/** Long options, `--name value` or `--name=value`. */
export const LONG_OPTIONS: ReadonlyMap<string, OptionSpec> = new Map([
  ['--request', value('request')],
  ['--header', list('header')],
  ['--user', value('user')],
  ['--range', value('range')],
  // The data options share their parts' order: joined with "&" as given.
  ['--data', list('data')],
  ['--data-ascii', list('data')],
  ['--data-raw', list('data-raw')],
  ['--data-binary', list('data-binary')],
  ['--get', flag('get')],
  ['--json', value('json')],
  ['--data-urlencode', list('data-urlencode')],
  // -F and --form-string share a list so the fields keep their order.
  ['--form', list('form')],
  ['--form-string', list('form-string')],
  ['--include', flag('include')],
  ['--fail', flag('fail')],
  ['--write-out', value('write-out')],
  // The default already: accepted so curl command lines work.
  ['--fail-with-body', flag('fail-with-body')],
  ['--output', value('output')],
  ['--follow', flag('follow')],
  ['--location', flag('follow')],
  ['--no-follow', flag('no-follow')],
  ['--max-redirects', value('max-redirects')],
  ['--max-redirs', value('max-redirects')],
  ['--compressed', flag('compressed')],
  ['--no-decode', flag('no-decode')],
  ['--proxy', value('proxy')],
  ['--noproxy', value('noproxy')],
  ['--proxy-env', flag('proxy-env')],
  ['--cacert', value('cacert')],
  ['--proxy-cacert', value('proxy-cacert')],
  ['--pin', list('pin')],
  ['--pinnedpubkey', list('pin')],
  ['--timeout', value('timeout')],
  ['--max-time', value('timeout')],
  ['--connect-timeout', value('connect-timeout')],
  ['--retry', value('retries')],
  ['--retries', value('retries')],
  ['--cookie-jar', value('cookie-jar')],
  ['--cache-dir', value('cache-dir')],
  ['--verbose', flag('verbose')],
  ['--silent', flag('silent')],
  ['--show-error', flag('show-error')],
  ['--help', flag('help')],
  ['--version', flag('version')],
]);

/** Short options, one letter each; they combine (`-sSL`) and take a value attached or next (`-XPUT`, `-X PUT`). */
export const SHORT_OPTIONS: ReadonlyMap<string, OptionSpec> = new Map([
  ['X', value('request')],
  ['H', list('header')],
  ['u', value('user')],
  ['r', value('range')],
  ['d', list('data')],
  ['G', flag('get')],
  ['F', list('form')],
  ['i', flag('include')],
  ['f', flag('fail')],
  ['w', value('write-out')],
  ['o', value('output')],
  ['L', flag('follow')],
  ['x', value('proxy')],
  ['m', value('timeout')],
  ['c', value('cookie-jar')],
  ['v', flag('verbose')],
  ['s', flag('silent')],
  ['S', flag('show-error')],
  ['h', flag('help')],
  ['V', flag('version')],
]);

/** Options whose values are request content (they may hold line breaks); every other value is checked for CR, LF, NUL. */
export const CONTENT_OPTIONS: ReadonlySet<string> = new Set([
  'data',
  'data-raw',
  'data-binary',
  'json',
  'data-urlencode',
  'form',
  'form-string',
  // A format may hold "\n" as a real line break; it is printed on our own stdout, never sent.
  'write-out',
]);

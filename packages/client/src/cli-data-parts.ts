/**
 * The data options of `x-http` as curl reads them: -d/--data,
 * --data-raw, --data-binary and --data-urlencode all add one part to the
 * same application/x-www-form-urlencoded data, joined with "&" in
 * command-line order; -G sends that data as the URL's query instead of a
 * body. Pure: files are opened when the request is built
 * (cli-request-body.ts).
 */
import { type Parsed, parsedInvalid, parsedOk } from '@x/headers';
import { hasLineBreakOrNul, parseUrlencodedPart, type UrlencodedPart } from './cli-option-values.js';

/** One data part, in command-line order. */
export type DataPart =
  /** -d text, --data-raw anything, --data-binary text: sent as it is. */
  | { readonly kind: 'literal'; readonly text: string }
  /**
   * -d @path and --data-binary @path ("-" is stdin). curl's -d drops every
   * CR and LF of the file (it was made for text forms); --data-binary keeps
   * the bytes as they are.
   */
  | { readonly kind: 'file'; readonly path: string; readonly keepLineBreaks: boolean }
  /** --data-urlencode: percent-encoded when the request is built. */
  | { readonly kind: 'urlencode'; readonly part: UrlencodedPart };

/** The option keys (cli-option-table.ts) that add a data part. */
export const DATA_KEYS: ReadonlySet<string> = new Set(['data', 'data-raw', 'data-binary', 'data-urlencode']);

/** The option as a user would write it, for messages. */
const SPELLING: Readonly<Record<string, string>> = {
  data: '-d',
  'data-raw': '--data-raw',
  'data-binary': '--data-binary',
  'data-urlencode': '--data-urlencode',
};

export function parseDataPart(key: string, value: string): Parsed<DataPart> {
  if (key === 'data-urlencode') {
    const part = parseUrlencodedPart(value);
    return part.ok ? parsedOk({ kind: 'urlencode', part: part.value }) : part;
  }
  if (key === 'data-raw' || !value.startsWith('@')) return parsedOk({ kind: 'literal', text: value });
  const path = value.slice(1);
  const option = SPELLING[key] ?? key;
  if (path === '') return parsedInvalid(`${option} @: needs a file path (or @- for stdin)`);
  if (hasLineBreakOrNul(path)) return parsedInvalid(`${option} @file: the path contains CR, LF or NUL`);
  return parsedOk({ kind: 'file', path, keepLineBreaks: key === 'data-binary' });
}

/** How many parts read stdin ("@-"); more than one is a usage error (stdin can be read once). */
export function stdinReaders(parts: readonly DataPart[]): number {
  return parts.filter(
    (part) =>
      (part.kind === 'file' && part.path === '-') ||
      (part.kind === 'urlencode' && part.part.kind === 'file' && part.part.path === '-'),
  ).length;
}

import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { type BodyInit, bytesBody, replayableBody } from '@x/core';
import type { DataPart } from './cli-data-parts.js';
import { percentEncode } from './cli-option-values.js';
import { cliInputError } from './cli-request-error.js';

/** What -d and its siblings send, as curl labels it whatever the content (unless -H gives a type). */
export const FORM_URLENCODED = 'application/x-www-form-urlencoded';

/**
 * The body for the data parts. One --data-binary @file is streamed from the
 * file (replayable: a redirect or retry reopens it) and one --data-binary @-
 * from stdin (one-shot); anything else is read and joined with "&" in
 * memory, as curl does.
 */
export async function dataBody(parts: readonly DataPart[], stdin: Readable): Promise<BodyInit> {
  const [only] = parts;
  if (parts.length === 1 && only?.kind === 'file' && only.keepLineBreaks) {
    if (only.path === '-') return stdin;
    let size: number;
    try {
      size = (await stat(only.path)).size;
    } catch (cause) {
      throw cliInputError(`--data-binary: cannot read ${only.path}: ${(cause as Error).message}`, cause);
    }
    return replayableBody(() => createReadStream(only.path) as AsyncIterable<Uint8Array>, size);
  }
  return bytesBody(await joinedData(parts, stdin));
}

/**
 * -G: the data parts joined, for the URL's query. CR, LF and NUL are
 * refused: the URL parser would drop or escape them silently, and a query
 * is no place for them (--data-urlencode encodes them).
 */
export async function dataQuery(parts: readonly DataPart[], stdin: Readable): Promise<string> {
  const query = Buffer.from(await joinedData(parts, stdin)).toString('utf8');
  if (/[\r\n\0]/.test(query))
    throw cliInputError('-G: the data contains CR, LF or NUL (send it with --data-urlencode)');
  return query;
}

/** The URL with `query` added to its query: after "?", or after "&" when it has one already. */
export function withQuery(url: string, query: string): string {
  if (query === '') return url;
  const target = new URL(url);
  const existing = target.search.slice(1);
  // The setter percent-encodes what a query cannot hold as it is (space, "#", non-ASCII).
  target.search = existing === '' ? query : `${existing}&${query}`;
  return target.href;
}

async function joinedData(parts: readonly DataPart[], stdin: Readable): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  for (const part of parts) {
    if (pieces.length > 0) pieces.push(AMPERSAND);
    pieces.push(await partBytes(part, stdin));
  }
  return Buffer.concat(pieces);
}

const AMPERSAND = Buffer.from('&');

async function partBytes(part: DataPart, stdin: Readable): Promise<Uint8Array> {
  if (part.kind === 'literal') return Buffer.from(part.text, 'utf8');
  if (part.kind === 'file') {
    const option = part.keepLineBreaks ? '--data-binary' : '-d';
    const bytes = await readSource(part.path, option, stdin);
    // curl's -d @file: "carriage returns and newlines are stripped".
    return part.keepLineBreaks ? bytes : bytes.filter((byte) => byte !== 0x0d && byte !== 0x0a);
  }
  const { name, ...source } = part.part;
  const content =
    source.kind === 'text'
      ? source.content
      : Buffer.from(await readSource(source.path, '--data-urlencode', stdin)).toString('utf8');
  return Buffer.from(name === undefined ? percentEncode(content) : `${name}=${percentEncode(content)}`);
}

/** A file's bytes, or all of stdin for "-". */
export async function readSource(path: string, option: string, stdin: Readable): Promise<Uint8Array> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  try {
    return await readFile(path);
  } catch (cause) {
    throw cliInputError(`${option}: cannot read ${path}: ${(cause as Error).message}`, cause);
  }
}

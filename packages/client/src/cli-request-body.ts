import { createReadStream, openAsBlob } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { type BodyInit, HttpClientError, replayableBody, textBody } from '@x/core';
import type { CliOptions } from './cli-arguments.js';
import { percentEncode } from './cli-option-values.js';

/** The body of an `x-http` request and the fields that describe it. */
export interface CliBody {
  /** Undefined when no body option was given. */
  readonly body: BodyInit | FormData | undefined;
  /** Fields the body option implies (--json's Content-Type and Accept), added unless -H gave them. */
  readonly headers: readonly (readonly [string, string])[];
}

/**
 * Builds the body from -d, --json, --data-urlencode or -F (the parser let
 * through at most one of them). Files are opened here; one that cannot be
 * read is INVALID_REQUEST (exit 2) with nothing sent. File bodies and file
 * parts are streamed and replayable (a redirect or retry can resend them),
 * never read whole into memory.
 */
export async function buildCliBody(options: CliOptions, stdin: Readable): Promise<CliBody> {
  if (options.json !== undefined) {
    try {
      JSON.parse(options.json);
    } catch {
      throw cliInputError('--json is not valid JSON');
    }
    return {
      body: options.json,
      headers: [
        ['Content-Type', 'application/json'],
        ['Accept', 'application/json'],
      ],
    };
  }
  if (options.urlencoded.length > 0) return { body: await urlencodedBody(options), headers: [] };
  if (options.form.length > 0) return { body: await formBody(options), headers: [] };
  return { body: await dataBody(options.data, stdin), headers: [] };
}

async function dataBody(data: string | undefined, stdin: Readable): Promise<BodyInit | undefined> {
  if (data === undefined) return undefined;
  if (data === '@-') return stdin;
  if (!data.startsWith('@')) return data;
  const path = data.slice(1);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (cause) {
    throw cliInputError(`-d: cannot read ${path}: ${(cause as Error).message}`, cause);
  }
  return replayableBody(() => createReadStream(path) as AsyncIterable<Uint8Array>, size);
}

/** curl's --data-urlencode: each part encoded on its own, joined with "&" (application/x-www-form-urlencoded). */
async function urlencodedBody(options: CliOptions): Promise<BodyInit> {
  const pieces: string[] = [];
  for (const part of options.urlencoded) {
    const content = part.kind === 'text' ? part.content : await readText(part.path, '--data-urlencode');
    pieces.push(part.name === undefined ? percentEncode(content) : `${part.name}=${percentEncode(content)}`);
  }
  return textBody(pieces.join('&'), 'application/x-www-form-urlencoded');
}

/** -F fields in order; the client's formDataBody encodes them (random boundary, RFC 7578, streamed files). */
async function formBody(options: CliOptions): Promise<FormData> {
  const form = new FormData();
  for (const field of options.form) {
    if (field.kind === 'text') form.append(field.name, field.value);
    else if (field.kind === 'file-text') form.append(field.name, await readText(field.path, '-F'));
    else {
      let file: Blob;
      try {
        // A Blob backed by the file: read as it is sent, and again on a resend.
        file = await openAsBlob(field.path, field.type === undefined ? {} : { type: field.type });
      } catch (cause) {
        throw cliInputError(
          `-F ${field.name}: cannot read ${field.path}: ${(cause as Error).message}`,
          cause,
        );
      }
      form.append(field.name, file, field.filename ?? basename(field.path));
    }
  }
  return form;
}

async function readText(path: string, option: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw cliInputError(`${option}: cannot read ${path}: ${(cause as Error).message}`, cause);
  }
}

/** A bad file or value found while preparing the request: INVALID_REQUEST, exit code 2, nothing sent. */
export function cliInputError(message: string, cause?: unknown): HttpClientError {
  return new HttpClientError('INVALID_REQUEST', message, { requestSent: false, cause });
}

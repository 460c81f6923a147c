import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { BodyInit } from '@x/core';
import { dataBody, dataQuery, FORM_URLENCODED, readSource } from './cli-data-body.js';
import type { CliOptions } from './cli-options.js';
import { cliInputError } from './cli-request-error.js';

export { cliInputError } from './cli-request-error.js';

/** The body of an `x-http` request and the fields that describe it. */
export interface CliBody {
  /** Undefined when no body option was given (and with -G). */
  readonly body: BodyInit | FormData | undefined;
  /** Fields the body option implies (--json's Content-Type and Accept), added unless -H gave them. */
  readonly headers: readonly (readonly [string, string])[];
  /** -G: the data, to add to the URL's query. */
  readonly query: string | undefined;
}

/**
 * Builds the body from the data options, --json or -F (the parser let
 * through one kind), or with -G the query instead. Files are opened here;
 * one that cannot be read is INVALID_REQUEST (exit 2) with nothing sent.
 * File bodies and file parts are streamed and replayable (a redirect or
 * retry can resend them), except where curl's rules need the content in
 * memory (several data parts, -d's line-break stripping: cli-data-body.ts).
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
      query: undefined,
    };
  }
  if (options.form.length > 0) return { body: await formBody(options, stdin), headers: [], query: undefined };
  if (options.data.length === 0) return { body: undefined, headers: [], query: undefined };
  if (options.getQuery) return { body: undefined, headers: [], query: await dataQuery(options.data, stdin) };
  return {
    body: await dataBody(options.data, stdin),
    headers: [['Content-Type', FORM_URLENCODED]],
    query: undefined,
  };
}

/**
 * -F fields in order; the client's formDataBody encodes them (random
 * boundary, RFC 7578, streamed files). "-" as the path is stdin, read whole
 * (as curl buffers it) so the part has a length and can be resent.
 */
async function formBody(options: CliOptions, stdin: Readable): Promise<FormData> {
  const form = new FormData();
  for (const field of options.form) {
    if (field.kind === 'text') form.append(field.name, field.value);
    else if (field.kind === 'file-text')
      form.append(field.name, Buffer.from(await readSource(field.path, '-F', stdin)).toString('utf8'));
    else if (field.path === '-') {
      const bytes = await readSource('-', '-F', stdin);
      const type = field.type === undefined ? {} : { type: field.type };
      form.append(field.name, new Blob([new Uint8Array(bytes)], type), field.filename ?? '-');
    } else {
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

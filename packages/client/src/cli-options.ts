/** What an `x-http` command line asks for, checked (cli-arguments.ts builds it). */
import type { DataPart } from './cli-data-parts.js';
import type { FormField } from './cli-option-values.js';
import type { WriteOutPiece } from './cli-write-out.js';

export interface CliOptions {
  readonly method: string | undefined;
  readonly url: string;
  /** [name, value] pairs from -H, checked (token name, no CR/LF/NUL), in order. */
  readonly headers: readonly (readonly [string, string])[];
  /** -u user:password: the Authorization value (`Basic ...`). */
  readonly authorization: string | undefined;
  /** -u user (no colon): the user whose password is asked for on the terminal. */
  readonly promptUser: string | undefined;
  /** -d, --data-raw, --data-binary, --data-urlencode parts in order, joined with "&" (cli-data-parts.ts). */
  readonly data: readonly DataPart[];
  /** -G: the data goes into the URL's query, and the request has no body. */
  readonly getQuery: boolean;
  /** --json: JSON text sent with Content-Type and Accept application/json. */
  readonly json: string | undefined;
  /** -F / --form-string fields, sent as multipart/form-data. */
  readonly form: readonly FormField[];
  readonly include: boolean;
  /** -w: the format, parsed, or the file to read it from (`@file`). */
  readonly writeOut:
    | { readonly kind: 'format'; readonly pieces: readonly WriteOutPiece[] }
    | { readonly kind: 'file'; readonly path: string }
    | undefined;
  /** -f: a status >= 400 prints nothing of the response and exits 22 (without it the body is printed, exit 22). */
  readonly failWithoutBody: boolean;
  readonly follow: boolean;
  readonly maxRedirects: number | undefined;
  readonly output: string | undefined;
  /** -r: "0-99", "-500", "100-", or several joined by commas. */
  readonly range: string | undefined;
  readonly cacheDirectory: string | undefined;
  readonly cookieJar: string | undefined;
  /** Seconds. */
  readonly timeout: number | undefined;
  readonly connectTimeout: number | undefined;
  readonly retries: number | undefined;
  readonly caFile: string | undefined;
  /** --pin: SPKI pins (canonical "sha256/..."), for the URL's host. */
  readonly pins: readonly string[];
  readonly proxy: string | undefined;
  readonly noProxy: string | undefined;
  /** --proxy-cacert: a PEM file of CAs trusted for an https:// proxy. */
  readonly proxyCaFile: string | undefined;
  readonly proxyEnvironment: boolean;
  /** --no-decode: no decoding layer (no Accept-Encoding, body as sent). */
  readonly decode: boolean;
  readonly verbose: boolean;
  readonly silent: boolean;
  /** -S: error messages even with -s. */
  readonly showError: boolean;
}

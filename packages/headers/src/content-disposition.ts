import { decodeExtValue, encodeExtValue } from './ext-value.js';
import { InvalidHeaderError } from './invalid-header-error.js';
import {
  quotedString,
  readToken,
  readTokenOrQuotedString,
  type Scanner,
  skipWhitespace,
} from './parameter-scanner.js';
import { type Parsed, parsedInvalid, parsedOk } from './parsed.js';
import { isToken } from './syntax.js';

/**
 * Content-Disposition, RFC 6266 §4.1, with RFC 8187 `name*` parameters:
 *
 *   content-disposition = disposition-type *( OWS ";" OWS disposition-parm )
 *   disposition-parm    = token BWS "=" BWS ( token / quoted-string ) | ext-token "=" ext-value
 *
 * `filename` is chosen as RFC 6266 §4.3 says: a decodable `filename*` wins
 * over `filename`. The name is returned as sent: it may hold "/", "\" or
 * "..", so strip any path before using it as a file name on disk (§4.3).
 */

export interface ContentDisposition {
  /** The disposition type, lower-cased: "inline", "attachment", "form-data", or an extension. */
  readonly type: string;
  /** `filename*` decoded when present and decodable, else `filename`, else null. */
  readonly filename: string | null;
  /**
   * Every parameter by lower-cased name. `name*` parameters keep their "*"
   * and hold the decoded text (or the raw text when it does not decode).
   */
  readonly parameters: ReadonlyMap<string, string>;
}

/**
 * Parses a received Content-Disposition. A repeated parameter makes the
 * value not ok: RFC 6266 §4.1 forbids it, and two components picking
 * different copies of `filename` is how downloads get misnamed.
 */
export function parseContentDisposition(value: string | null | undefined): Parsed<ContentDisposition> {
  if (value === null || value === undefined) return parsedInvalid('Content-Disposition is absent');
  if (typeof value !== 'string') return parsedInvalid('Content-Disposition value is not a string');
  const scanner: Scanner = { input: value, index: 0 };
  skipWhitespace(scanner);
  const type = readToken(scanner).toLowerCase();
  if (type === '') return parsedInvalid('expected a disposition type');
  const parameters = new Map<string, string>();
  let extendedFilename: string | null = null;
  for (;;) {
    skipWhitespace(scanner);
    if (scanner.index >= value.length) break;
    if (value.charCodeAt(scanner.index) !== 0x3b) return invalidAt(scanner, 'expected ";"');
    scanner.index++;
    skipWhitespace(scanner);
    // A trailing ";" is common and harmless.
    if (scanner.index >= value.length) break;
    const name = readToken(scanner).toLowerCase();
    if (name === '') return invalidAt(scanner, 'expected a parameter name');
    skipWhitespace(scanner);
    if (value.charCodeAt(scanner.index) !== 0x3d) return invalidAt(scanner, `parameter ${name} has no "="`);
    scanner.index++;
    skipWhitespace(scanner);
    let parameterValue: string | null;
    if (name.endsWith('*')) {
      // ext-value characters are all token characters ("'" and "%" included). Some servers
      // quote it anyway; read that too rather than lose the whole field.
      const raw = readTokenOrQuotedString(scanner) ?? '';
      const decoded = raw === '' ? null : decodeExtValue(raw);
      parameterValue = raw === '' ? null : (decoded?.value ?? raw);
      if (name === 'filename*' && decoded !== null) extendedFilename = decoded.value;
    } else {
      parameterValue = readTokenOrQuotedString(scanner);
      if (parameterValue !== null && name === 'filename') parameterValue = utf8IfValid(parameterValue);
    }
    if (parameterValue === null) return invalidAt(scanner, `parameter ${name} has no valid value`);
    if (parameters.has(name)) return invalidAt(scanner, `parameter ${name} appears twice`);
    parameters.set(name, parameterValue);
  }
  return parsedOk({ type, filename: extendedFilename ?? parameters.get('filename') ?? null, parameters });
}

function invalidAt(scanner: Scanner, reason: string): Parsed<never> {
  return parsedInvalid(`${reason} at index ${scanner.index}`);
}

/**
 * Quoted filenames are Latin-1 on the wire (RFC 9110 obs-text), but servers
 * commonly send raw UTF-8 there; browsers decode it when it is valid UTF-8.
 */
function utf8IfValid(text: string): string {
  let hasHigh = false;
  for (let index = 0; index < text.length && !hasHigh; index++) hasHigh = text.charCodeAt(index) >= 0x80;
  if (!hasHigh) return text;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(text, 'latin1'));
  } catch {
    return text;
  }
}

export interface ContentDispositionOptions {
  /** File name. Non-ASCII names also get `filename*` (RFC 8187 UTF-8) with an ASCII `filename` fallback. */
  readonly filename?: string | undefined;
  /**
   * Other parameters, written before `filename` in order (e.g. `{ name: 'upload' }` for
   * form-data). A Map keeps any order; a record (own keys) puts integer-like names first.
   */
  readonly parameters?: ReadonlyMap<string, string> | Readonly<Record<string, string>> | undefined;
}

/**
 * Builds a Content-Disposition value to send (e.g. a multipart part's
 * `form-data; name="file"; filename="report.pdf"`). Throws
 * InvalidHeaderError on a type or parameter name that is not a token, or a
 * value with control characters (CR/LF injection) or lone surrogates.
 */
export function formatContentDisposition(type: string, options: ContentDispositionOptions = {}): string {
  if (typeof type !== 'string' || !isToken(type)) throw refuse('disposition type is not a token');
  let text = type;
  const parameters = options.parameters ?? {};
  const entries: Iterable<[string, string]> =
    parameters instanceof Map ? parameters : Object.entries(parameters as Readonly<Record<string, string>>);
  for (const [name, value] of entries) text += formatParameter(name, value);
  if (options.filename !== undefined) text += formatParameter('filename', options.filename);
  return text;
}

function formatParameter(name: string, value: string): string {
  if (!isToken(name) || name.endsWith('*'))
    throw refuse(`parameter name ${JSON.stringify(name)} is not a token`);
  if (typeof value !== 'string' || !value.isWellFormed())
    throw refuse(`parameter ${name} is not well-formed text`);
  let ascii = true;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) throw refuse(`parameter ${name} contains a control character`);
    if (code > 0x7e) ascii = false;
  }
  if (ascii) return `; ${name}=${quotedString(value)}`;
  // RFC 6266 §4.3 / Appendix D: an ASCII fallback first, then the exact name in name*.
  let fallback = '';
  for (const char of value) fallback += char.charCodeAt(0) > 0x7e ? '_' : char;
  return `; ${name}=${quotedString(fallback)}; ${name}*=${encodeExtValue(value)}`;
}

function refuse(reason: string): InvalidHeaderError {
  return new InvalidHeaderError('Content-Disposition', reason);
}

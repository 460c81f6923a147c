/**
 * Parsers for the values of `x-http` options that have a syntax of their
 * own (-F, --data-urlencode, -u, --pin, --proxy, --noproxy, -H). Pure: no
 * file is read here; a path is kept and opened when the request is built.
 * Each returns Parsed<T>, and its reason becomes the usage error.
 */
import { HttpClientError } from '@x/core';
import {
  basicAuthorization,
  fieldValueProblem,
  InvalidHeaderError,
  isToken,
  type Parsed,
  parsedInvalid,
  parsedOk,
  parseMediaType,
} from '@x/headers';
import { parseNoProxy, parseProxy } from '@x/proxy';
import { normalizePin } from '@x/tls-verify';

/** One -F / --form-string field, in command-line order. */
export type FormField =
  | { readonly kind: 'text'; readonly name: string; readonly value: string }
  /** -F name=@path: a file part, streamed from the file. */
  | {
      readonly kind: 'file';
      readonly name: string;
      readonly path: string;
      readonly type: string | undefined;
      readonly filename: string | undefined;
    }
  /** -F name=<path: the file's text as an ordinary field value (curl's `<`). */
  | { readonly kind: 'file-text'; readonly name: string; readonly path: string };

/** One --data-urlencode part, in command-line order. */
export type UrlencodedPart =
  | { readonly kind: 'text'; readonly name: string | undefined; readonly content: string }
  | { readonly kind: 'file'; readonly name: string | undefined; readonly path: string };

/** CR, LF and NUL end a header line or hide one (SECURITY.md rule 1): never accepted where a value reaches a head. */
export function hasLineBreakOrNul(text: string): boolean {
  return /[\r\n\0]/.test(text);
}

/** "Name: value" as given to -H: the name an RFC 9110 token, the value a valid field value, trimmed. */
export function parseHeaderLine(line: string): Parsed<readonly [string, string]> {
  const colon = line.indexOf(':');
  if (colon <= 0) return parsedInvalid(`header ${JSON.stringify(line)} is not "Name: value"`);
  const name = line.slice(0, colon).trim();
  const value = line.slice(colon + 1).trim();
  if (!isToken(name))
    return parsedInvalid(`header name ${JSON.stringify(name)} is not a token (RFC 9110 §5.1)`);
  // The value is not echoed: it may be a credential.
  const problem = fieldValueProblem(value);
  if (problem !== null) return parsedInvalid(`header ${name}: the value ${problem}`);
  return parsedOk([name, value] as const);
}

/**
 * -F as curl reads it: `name=text`, `name=@path[;type=t][;filename=f]`,
 * `name=<path`. A path cannot contain ";" (no quoting, unlike curl). Names,
 * paths, types and filenames go into part headers, so CR, LF and NUL are
 * refused there; a text value is body content and may hold line breaks.
 */
export function parseFormField(text: string, literal: boolean): Parsed<FormField> {
  const option = literal ? '--form-string' : '-F';
  const equals = text.indexOf('=');
  if (equals <= 0) return parsedInvalid(`${option} ${JSON.stringify(text)} is not name=value`);
  const name = text.slice(0, equals);
  const value = text.slice(equals + 1);
  if (hasLineBreakOrNul(name)) return parsedInvalid(`${option}: a field name contains CR, LF or NUL`);
  if (literal || (!value.startsWith('@') && !value.startsWith('<'))) {
    return parsedOk({ kind: 'text', name, value });
  }
  if (value.startsWith('<')) {
    const path = value.slice(1);
    if (path === '' || hasLineBreakOrNul(path))
      return parsedInvalid(`${option} ${name}=<: needs a file path`);
    return parsedOk({ kind: 'file-text', name, path });
  }
  const [path = '', ...settings] = value.slice(1).split(';');
  if (path === '' || hasLineBreakOrNul(path)) return parsedInvalid(`${option} ${name}=@: needs a file path`);
  let type: string | undefined;
  let filename: string | undefined;
  for (const setting of settings) {
    const [key, ...rest] = setting.split('=');
    const setValue = rest.join('=').trim();
    if (key?.trim() === 'type') {
      // RFC 7578 §4.4: the part's Content-Type.
      if (hasLineBreakOrNul(setValue) || !parseMediaType(setValue).ok)
        return parsedInvalid(`${option} ${name}: type=${JSON.stringify(setValue)} is not a media type`);
      type = setValue;
    } else if (key?.trim() === 'filename') {
      if (setValue === '' || hasLineBreakOrNul(setValue))
        return parsedInvalid(`${option} ${name}: filename= needs a name without CR, LF or NUL`);
      filename = setValue;
    } else {
      return parsedInvalid(
        `${option} ${name}: unknown setting ${JSON.stringify(setting)} (type= or filename=)`,
      );
    }
  }
  return parsedOk({ kind: 'file', name, path, type, filename });
}

/**
 * --data-urlencode as curl reads it: the first "=" or "@" decides.
 * `content` and `=content` encode all of it; `name=content` keeps the name
 * and encodes the content; `@path` and `name@path` encode a file's text.
 */
export function parseUrlencodedPart(text: string): Parsed<UrlencodedPart> {
  const at = text.search(/[=@]/);
  if (at === -1) return parsedOk({ kind: 'text', name: undefined, content: text });
  const name = at === 0 ? undefined : text.slice(0, at);
  if (name !== undefined && hasLineBreakOrNul(name))
    return parsedInvalid('--data-urlencode: a name contains CR, LF or NUL');
  if (text[at] === '=') return parsedOk({ kind: 'text', name, content: text.slice(at + 1) });
  const path = text.slice(at + 1);
  if (path === '' || hasLineBreakOrNul(path)) return parsedInvalid('--data-urlencode: @ needs a file path');
  return parsedOk({ kind: 'file', name, path });
}

/**
 * Percent-encodes everything but RFC 3986 §2.3 unreserved characters, as
 * curl does for --data-urlencode (a space is %20, which every
 * application/x-www-form-urlencoded parser reads as a space).
 */
export function percentEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * -u as curl reads it: `user:password` is the Authorization value (RFC
 * 7617 §2); a bare `user` (no colon) asks for the password when the run
 * starts (see cli-password-prompt.ts).
 */
export type UserCredentials =
  | { readonly kind: 'authorization'; readonly value: string }
  | { readonly kind: 'prompt'; readonly user: string };

export function parseUser(text: string): Parsed<UserCredentials> {
  const colon = text.indexOf(':');
  if (colon === -1) {
    // The user alone must make a valid value already: the password typed later cannot fix it.
    const checked = basicCredentials(text, '');
    return checked.ok ? parsedOk({ kind: 'prompt', user: text }) : checked;
  }
  const checked = basicCredentials(text.slice(0, colon), text.slice(colon + 1));
  return checked.ok ? parsedOk({ kind: 'authorization', value: checked.value }) : checked;
}

/** `Basic ...` for a user and password, or the reason they cannot make one. */
export function basicCredentials(user: string, password: string): Parsed<string> {
  try {
    return parsedOk(basicAuthorization(user, password));
  } catch (error) {
    if (InvalidHeaderError.is(error)) return parsedInvalid(`-u: ${error.message}`);
    throw error;
  }
}

/** --pin: "sha256/<base64>" or curl's "sha256//<base64>", several joined by ";". */
export function parsePins(text: string): Parsed<readonly string[]> {
  const pins: string[] = [];
  for (const raw of text.split(';')) {
    const given = raw.trim().replace(/^sha256\/\//, 'sha256/');
    const pin = normalizePin(given);
    if (pin === undefined)
      return parsedInvalid(`--pin ${JSON.stringify(raw.trim())} is not sha256/<base64 of 32 bytes>`);
    pins.push(pin);
  }
  return parsedOk(pins);
}

/** --proxy: what @x/proxy accepts (http:// or https://, optional user:password@; no scheme means http://). */
export function checkProxy(text: string): Parsed<string> {
  if (text.trim() === '') return parsedInvalid('--proxy needs a URL');
  try {
    parseProxy(text, '--proxy');
  } catch (error) {
    // parseProxy's messages never echo the input (it may hold credentials).
    if (HttpClientError.is(error)) return parsedInvalid(error.message);
    throw error;
  }
  return parsedOk(text);
}

/** --noproxy: every comma- or space-separated entry must be one NO_PROXY entry (none is skipped silently). */
export function checkNoProxy(text: string): Parsed<string> {
  for (const entry of text.split(/[\s,]+/)) {
    if (entry === '') continue;
    if (parseNoProxy(entry).entries.length !== 1)
      return parsedInvalid(`--noproxy entry ${JSON.stringify(entry)} is not a host, domain, address or CIDR`);
  }
  return parsedOk(text);
}

import type { HeaderList } from './header-list.js';
import { readToken, readTokenOrQuotedString, type Scanner, skipWhitespace } from './parameter-scanner.js';
import { type Parsed, parsedInvalid, parsedOk } from './parsed.js';

/**
 * WWW-Authenticate and Proxy-Authenticate, RFC 9110 §11.2, §11.6.1, §11.7.1:
 *
 *   WWW-Authenticate = #challenge
 *   challenge  = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   auth-param = token BWS "=" BWS ( token / quoted-string )
 *   token68    = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
 *
 * Commas separate both challenges and the parameters of one challenge, so
 * an element is a parameter when it reads `name=value` and otherwise starts
 * the next challenge. Commas inside quoted-strings are content.
 */

export interface Challenge {
  /** The auth-scheme, lower-cased (schemes are case-insensitive, §11.1): "basic", "bearer", "digest"... */
  readonly scheme: string;
  /** The token68 form of the challenge's data, or null when it has parameters instead. */
  readonly token68: string | null;
  /** auth-params by lower-cased name (§11.2: names are case-insensitive), values unquoted. */
  readonly parameters: ReadonlyMap<string, string>;
}

/**
 * Parses one WWW-Authenticate / Proxy-Authenticate value (or several lines
 * combined with ", "). Not ok on any syntax error or on a parameter named
 * twice in one challenge (§11.2 forbids it, and guessing which `realm` is
 * meant is not ours to do).
 */
export function parseChallenges(value: string | null | undefined): Parsed<Challenge[]> {
  if (value === null || value === undefined) return parsedInvalid('challenge field is absent');
  if (typeof value !== 'string') return parsedInvalid('challenge value is not a string');
  const scanner: Scanner = { input: value, index: 0 };
  const challenges: Challenge[] = [];
  for (;;) {
    skipSeparators(scanner);
    if (scanner.index >= value.length) return parsedOk(challenges);
    const challenge = readChallenge(scanner);
    if (typeof challenge === 'string') return parsedInvalid(`${challenge} at index ${scanner.index}`);
    challenges.push(challenge);
  }
}

/**
 * The challenges of every `name` line of a response (default
 * WWW-Authenticate; pass "proxy-authenticate" for a 407). Each line is
 * parsed on its own so one malformed line (a stray quote) cannot swallow
 * the others: malformed lines are skipped, and the result is not ok only
 * when lines exist and none of them parses. No lines gives an empty list.
 */
export function getChallenges(headers: HeaderList, name = 'www-authenticate'): Parsed<Challenge[]> {
  const lines = headers.getAll(name);
  const challenges: Challenge[] = [];
  let firstProblem: string | null = null;
  let parsedLines = 0;
  for (const line of lines) {
    const result = parseChallenges(line);
    if (result.ok) {
      parsedLines++;
      challenges.push(...result.value);
    } else {
      firstProblem ??= result.reason;
    }
  }
  if (parsedLines === 0 && firstProblem !== null) return parsedInvalid(firstProblem);
  return parsedOk(challenges);
}

/** The first challenge of `scheme` (case-insensitive), or undefined. */
export function findChallenge(challenges: readonly Challenge[], scheme: string): Challenge | undefined {
  const wanted = scheme.toLowerCase();
  return challenges.find((challenge) => challenge.scheme === wanted);
}

/** Skips OWS and empty list elements (RFC 9110 §5.6.1 lets recipients accept `a, , b`). */
function skipSeparators(scanner: Scanner): void {
  for (;;) {
    skipWhitespace(scanner);
    if (scanner.input.charCodeAt(scanner.index) !== 0x2c) return;
    scanner.index++;
  }
}

function readChallenge(scanner: Scanner): Challenge | string {
  const input = scanner.input;
  const scheme = readToken(scanner).toLowerCase();
  if (scheme === '') return 'expected an auth-scheme';
  const parameters = new Map<string, string>();
  const afterScheme = scanner.index;
  skipWhitespace(scanner);
  if (scanner.index >= input.length || input.charCodeAt(scanner.index) === 0x2c) {
    return { scheme, token68: null, parameters };
  }
  if (scanner.index === afterScheme) return 'expected a space after the auth-scheme';
  const token68 = readToken68(scanner);
  if (token68 !== null) return { scheme, token68, parameters };
  // #auth-param: read elements while they are `name=value`; anything else is the next challenge.
  for (;;) {
    const elementStart = scanner.index;
    const parameter = readAuthParameter(scanner);
    if (parameter === null) {
      scanner.index = elementStart;
      if (parameters.size === 0) return 'expected token68 or auth-param';
      return { scheme, token68: null, parameters };
    }
    if (typeof parameter === 'string') return parameter;
    if (parameters.has(parameter[0])) return `parameter ${parameter[0]} appears twice`;
    parameters.set(parameter[0], parameter[1]);
    skipWhitespace(scanner);
    if (scanner.index >= input.length) return { scheme, token68: null, parameters };
    if (input.charCodeAt(scanner.index) !== 0x2c) return 'expected "," after an auth-param';
    skipSeparators(scanner);
    if (scanner.index >= input.length) return { scheme, token68: null, parameters };
  }
}

/**
 * Reads `name BWS "=" BWS value`. Returns null (index unchanged by the
 * caller) when the element is not a parameter, or a reason when it is one
 * but its value is malformed.
 */
function readAuthParameter(scanner: Scanner): [string, string] | string | null {
  const input = scanner.input;
  const name = readToken(scanner).toLowerCase();
  if (name === '') return null;
  skipWhitespace(scanner);
  if (input.charCodeAt(scanner.index) !== 0x3d) return null;
  scanner.index++;
  skipWhitespace(scanner);
  const value = readTokenOrQuotedString(scanner);
  if (value === null) return `parameter ${name} has no valid value`;
  return [name, value];
}

/**
 * Reads a token68 when the challenge's data is one: token68 characters,
 * optional "=" padding, then the end or a comma. Leaves the index alone
 * and returns null otherwise (`realm="x"` is not a token68).
 */
function readToken68(scanner: Scanner): string | null {
  const input = scanner.input;
  const start = scanner.index;
  let index = start;
  while (index < input.length && isToken68Char(input.charCodeAt(index))) index++;
  if (index === start) return null;
  while (input.charCodeAt(index) === 0x3d) index++;
  const end = index;
  while (input.charCodeAt(index) === 0x20 || input.charCodeAt(index) === 0x09) index++;
  if (index < input.length && input.charCodeAt(index) !== 0x2c) return null;
  scanner.index = index;
  return input.slice(start, end);
}

export function isToken68Char(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2d ||
    code === 0x2e ||
    code === 0x5f ||
    code === 0x7e ||
    code === 0x2b ||
    code === 0x2f
  );
}

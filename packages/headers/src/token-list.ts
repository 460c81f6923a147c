/**
 * Plain token lists (RFC 9110 §5.6.1 list rule: empty elements and OWS
 * ignored): Content-Encoding (§8.4), Transfer-Encoding (RFC 9112 §6.1),
 * Connection (§7.6.1), Accept-Ranges (§14.3), and the Keep-Alive
 * parameters (RFC 2068 §19.7.1, still sent by many servers).
 *
 * Tokens are lower-cased: codings, connection options and range units are
 * all case-insensitive. Elements that are not tokens are dropped and
 * reported. Transfer codings may carry parameters (`;q=...` style); they
 * are skipped, since none of the registered codings define any.
 */
import type { HeaderList } from './header-list.js';
import { InvalidHeaderError } from './invalid-header-error.js';
import { dropElement, nextElementStart } from './list-scanner.js';
import { scanParameters } from './parameters.js';
import { asciiLower } from './syntax.js';
import {
  type DroppedPart,
  findElementEnd,
  parseDeltaSeconds,
  requireToken,
  scanToken,
  skipOws,
  trimmedSlice,
} from './value-scanner.js';

export interface TokenList {
  /** Lower-cased tokens in order, duplicates kept (a repeated coding was applied twice). */
  readonly tokens: readonly string[];
  /** Elements that were not tokens. */
  readonly dropped: readonly DroppedPart[];
}

function parseList(value: string | null | undefined, allowParameters: boolean): TokenList {
  const tokens: string[] = [];
  const dropped: DroppedPart[] = [];
  if (value === null || value === undefined) return { tokens, dropped };
  const length = value.length;
  for (let index = nextElementStart(value, 0); index < length; index = nextElementStart(value, index)) {
    const start = index;
    const end = scanToken(value, index);
    let after = skipOws(value, end);
    if (allowParameters && end > start && value.charCodeAt(after) === 0x3b) {
      const ignored: [string, string][] = [];
      const parameterProblems: DroppedPart[] = [];
      after = scanParameters(value, end, ignored, parameterProblems);
      if (parameterProblems.length > 0) after = -1;
    }
    if (end === start || after === -1 || (after < length && value.charCodeAt(after) !== 0x2c)) {
      index = dropElement(value, start, 'not a token', dropped);
      continue;
    }
    tokens.push(asciiLower(value.slice(start, end)));
    index = after + 1;
  }
  return { tokens, dropped };
}

/** Parses a comma-separated token list. Never throws. */
export function parseTokenList(value: string | null | undefined): TokenList {
  return parseList(value, false);
}

/** Content-Encoding codings, in the order they were applied; empty when absent. */
export function contentEncoding(headers: HeaderList): TokenList {
  return parseList(headers.get('content-encoding'), false);
}

/** Transfer-Encoding codings in order (parameters skipped); empty when absent. */
export function transferEncoding(headers: HeaderList): TokenList {
  return parseList(headers.get('transfer-encoding'), true);
}

/** Connection options (e.g. "close", "keep-alive", hop-by-hop field names); empty when absent. */
export function connection(headers: HeaderList): TokenList {
  return parseList(headers.get('connection'), false);
}

/**
 * Accept-Ranges units; "none" gives an empty list (RFC 9110 §14.3), so
 * `units.includes('bytes')` is the question to ask.
 */
export function parseAcceptRanges(value: string | null | undefined): TokenList {
  const list = parseList(value, false);
  return list.tokens.includes('none')
    ? { tokens: list.tokens.filter((unit) => unit !== 'none'), dropped: list.dropped }
    : list;
}

/** Accept-Ranges of a header section; empty when absent. */
export function acceptRanges(headers: HeaderList): TokenList {
  return parseAcceptRanges(headers.get('accept-ranges'));
}

/** Writes a token list such as a Content-Encoding or Connection value. Throws on a non-token or an empty list. */
export function formatTokenList(tokens: readonly string[], headerName = 'Content-Encoding'): string {
  if (tokens.length === 0) throw new InvalidHeaderError(headerName, 'needs at least one token');
  for (const token of tokens) requireToken(headerName, 'list element', token);
  return tokens.join(', ');
}

export interface KeepAlive {
  /** Seconds the server keeps an idle connection open (`timeout=`). */
  readonly timeout: number | undefined;
  /** Requests the server still accepts on this connection (`max=`). */
  readonly max: number | undefined;
  /** Elements that were not `name=non-negative-integer`, and unknown names. */
  readonly dropped: readonly DroppedPart[];
}

/**
 * Parses Keep-Alive (`timeout=5, max=100`). Names are case-insensitive,
 * values are delta-seconds (clamped to 2^31), the first occurrence wins.
 * Never throws.
 */
export function parseKeepAlive(value: string | null | undefined): KeepAlive {
  let timeout: number | undefined;
  let max: number | undefined;
  const dropped: DroppedPart[] = [];
  if (value === null || value === undefined) return { timeout, max, dropped };
  const length = value.length;
  for (let index = nextElementStart(value, 0); index < length; index = nextElementStart(value, index)) {
    const start = index;
    const elementEnd = findElementEnd(value, start);
    const nameEnd = scanToken(value, start);
    const name = asciiLower(value.slice(start, nameEnd));
    const text = trimmedSlice(value, start, elementEnd);
    const equals = skipOws(value, nameEnd);
    let seconds = -1;
    if (nameEnd > start && value.charCodeAt(equals) === 0x3d) {
      const argument = trimmedSlice(value, equals + 1, elementEnd);
      const unquoted =
        argument.length >= 2 && argument.startsWith('"') && argument.endsWith('"')
          ? argument.slice(1, -1)
          : argument;
      seconds = parseDeltaSeconds(unquoted, 0, unquoted.length);
    }
    if (seconds === -1) dropped.push({ text, reason: 'not name=seconds' });
    else if (name === 'timeout' && timeout === undefined) timeout = seconds;
    else if (name === 'max' && max === undefined) max = seconds;
    else
      dropped.push({
        text,
        reason: name === 'timeout' || name === 'max' ? `duplicate ${name}` : 'unknown parameter',
      });
    index = elementEnd + 1;
  }
  return { timeout, max, dropped };
}

/** Keep-Alive of a header section (lines combined); all undefined when absent. */
export function keepAlive(headers: HeaderList): KeepAlive {
  return parseKeepAlive(headers.get('keep-alive'));
}

/** Writes a Keep-Alive value from whole seconds. Throws on negative or fractional numbers, or when both are absent. */
export function formatKeepAlive(init: {
  readonly timeout?: number | undefined;
  readonly max?: number | undefined;
}): string {
  const parts: string[] = [];
  for (const name of ['timeout', 'max'] as const) {
    const value = init[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new InvalidHeaderError('Keep-Alive', `${name} must be a non-negative integer`);
    }
    parts.push(`${name}=${value}`);
  }
  if (parts.length === 0) throw new InvalidHeaderError('Keep-Alive', 'needs timeout or max');
  return parts.join(', ');
}

import { decodeExtValue } from './ext-value.js';
import { readToken, readTokenOrQuotedString, type Scanner, skipWhitespace } from './parameter-scanner.js';
import { type Parsed, parsedInvalid, parsedOk } from './parsed.js';

/**
 * The Link header field, RFC 8288 §3:
 *
 *   Link       = #link-value
 *   link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param )
 *   link-param = token BWS [ "=" BWS ( token / quoted-string ) ]
 *
 * A client only receives Link (pagination, preload hints), so there is no
 * serialiser. Parsing follows Appendix B.2: links are read until the first
 * malformed link-value, and those before it are kept; the result is not ok
 * only when the field is non-empty and not one link could be read.
 */

export interface Link {
  /** The URI-Reference between < and >, as sent. */
  readonly target: string;
  /** `target` resolved against `options.base` (or absolute on its own); null when it does not resolve. */
  readonly url: URL | null;
  /** Relation types of the first `rel` parameter, lower-cased, split on whitespace (§3.3, Appendix B.3). */
  readonly rel: readonly string[];
  /** The `anchor` parameter (the link's context), or null. */
  readonly anchor: string | null;
  /** `title*` decoded (RFC 8187) when present and decodable, else `title`, else null (§3.4.1). */
  readonly title: string | null;
  /** The `type` parameter (a media type hint), or null. */
  readonly type: string | null;
  /** Every `hreflang` parameter (it may repeat). */
  readonly hreflang: readonly string[];
  /** The `media` parameter, or null. */
  readonly media: string | null;
  /** Every parameter in order, names lower-cased; a parameter without "=" has the value "". */
  readonly parameters: ReadonlyArray<readonly [string, string]>;
}

export interface LinkOptions {
  /** Base to resolve relative targets against: usually the response URL. */
  readonly base?: URL | string | undefined;
}

/** Parses a Link field value (all lines combined with ", ", as `HeaderList.get` does). */
export function parseLink(value: string | null | undefined, options: LinkOptions = {}): Parsed<Link[]> {
  if (value === null || value === undefined) return parsedInvalid('Link is absent');
  if (typeof value !== 'string') return parsedInvalid('Link value is not a string');
  const scanner: Scanner = { input: value, index: 0 };
  const links: Link[] = [];
  for (;;) {
    skipWhitespace(scanner);
    if (scanner.index >= value.length) break;
    if (value.charCodeAt(scanner.index) === 0x2c) {
      // Empty list elements are allowed (RFC 9110 §5.6.1).
      scanner.index++;
      continue;
    }
    const link = readLinkValue(scanner, options.base);
    if (typeof link === 'string') {
      if (links.length === 0) return parsedInvalid(`${link} at index ${scanner.index}`);
      break;
    }
    links.push(link);
    skipWhitespace(scanner);
    if (scanner.index < value.length && value.charCodeAt(scanner.index) !== 0x2c) break;
  }
  return parsedOk(links);
}

/** Links whose relation types include `rel` (compared case-insensitively), e.g. `findLinks(links, 'next')`. */
export function findLinks(links: readonly Link[], rel: string): Link[] {
  const wanted = rel.toLowerCase();
  return links.filter((link) => link.rel.includes(wanted));
}

/** Reads one link-value, or returns why it is malformed. */
function readLinkValue(scanner: Scanner, base: URL | string | undefined): Link | string {
  const input = scanner.input;
  if (input.charCodeAt(scanner.index) !== 0x3c) return 'expected "<"';
  const close = input.indexOf('>', scanner.index + 1);
  if (close === -1) return 'unclosed "<"';
  const target = input.slice(scanner.index + 1, close).trim();
  scanner.index = close + 1;
  const parameters: [string, string][] = [];
  for (;;) {
    skipWhitespace(scanner);
    if (input.charCodeAt(scanner.index) !== 0x3b) break;
    scanner.index++;
    skipWhitespace(scanner);
    const name = readToken(scanner).toLowerCase();
    if (name === '') return 'expected a parameter name';
    skipWhitespace(scanner);
    let parameterValue = '';
    if (input.charCodeAt(scanner.index) === 0x3d) {
      scanner.index++;
      skipWhitespace(scanner);
      const read = readTokenOrQuotedString(scanner);
      if (read === null) return `parameter ${name} has no valid value`;
      parameterValue = read;
    }
    parameters.push([name, parameterValue]);
  }
  return buildLink(target, parameters, base);
}

function buildLink(target: string, parameters: [string, string][], base: URL | string | undefined): Link {
  // §3.3, §3.4.1: rel, anchor, title, title*, type and media count once; later copies are ignored.
  const first = (name: string): string | null => {
    for (const [parameterName, parameterValue] of parameters)
      if (parameterName === name) return parameterValue;
    return null;
  };
  const relText = first('rel');
  const extendedTitle = first('title*');
  const decodedTitle = extendedTitle === null ? null : (decodeExtValue(extendedTitle)?.value ?? null);
  return {
    target,
    url: resolve(target, base),
    rel:
      relText === null
        ? []
        : relText
            .toLowerCase()
            .split(/[ \t]+/)
            .filter((type) => type !== ''),
    anchor: first('anchor'),
    title: decodedTitle ?? first('title'),
    type: first('type'),
    hreflang: parameters.filter(([name]) => name === 'hreflang').map(([, hreflang]) => hreflang),
    media: first('media'),
    parameters,
  };
}

function resolve(target: string, base: URL | string | undefined): URL | null {
  try {
    return base === undefined ? new URL(target) : new URL(target, base);
  } catch {
    return null;
  }
}

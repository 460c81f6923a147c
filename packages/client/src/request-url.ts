import { HttpClientError, parseRequestUrl } from '@x/core';

/** A query value: scalars are written with String(); arrays become repeated keys; undefined is skipped. */
export type QueryValue = string | number | boolean | bigint | null | undefined;

/** Query parameters as an object (own properties only), URLSearchParams, or [name, value] pairs. */
export type QueryInit =
  | URLSearchParams
  | Iterable<readonly [string, QueryValue]>
  | Readonly<Record<string, QueryValue | readonly QueryValue[]>>;

export interface UrlResolutionOptions {
  /** The client's base URL, if any. */
  readonly baseUrl?: URL | undefined;
  /**
   * With a base URL, accept absolute URLs that point elsewhere. Default false:
   * an absolute URL to another origin is INVALID_REQUEST (SECURITY.md rule 2).
   */
  readonly allowAbsoluteUrls?: boolean | undefined;
  readonly method?: string | undefined;
}

/** Matches a scheme at the start of a reference (RFC 3986 §3.1): "http:", "HTTPS:", "file:", ... */
const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/**
 * Resolves what a caller gave as the request URL against the client's base
 * URL and appends query parameters.
 *
 * Relative references are resolved as a path *below* the base: with base
 * `https://api.example/v1/`, `users` and `/users` both give
 * `https://api.example/v1/users`. (Plain RFC 3986 resolution would send
 * `/users` to the origin root and drop `/v1`, a classic surprise.) A
 * `//host/path` reference is a network-path reference that switches hosts
 * (axios CVE-2024-39338), so it is refused like any other absolute input
 * unless `allowAbsoluteUrls` is set.
 */
export function resolveRequestUrl(
  input: string | URL,
  query: QueryInit | undefined,
  options: UrlResolutionOptions = {},
): URL {
  const method = options.method ?? 'GET';
  const base = options.baseUrl;
  let url: URL;
  if (input instanceof URL || base === undefined) {
    url = parseRequestUrl(input, method);
    if (base !== undefined) refuseForeignOrigin(url, base, options, method);
  } else if (typeof input !== 'string') {
    throw invalid('The request URL must be a string or a URL', method);
  } else if (SCHEME.test(input) || input.startsWith('//') || input.startsWith('\\\\')) {
    // The WHATWG parser treats a leading "\\" like "//" for special schemes.
    url = parseRequestUrl(new URL(input, base).href, method);
    refuseForeignOrigin(url, base, options, method);
  } else {
    url = parseRequestUrl(joinBelow(base, input), method);
  }
  if (query !== undefined) appendQuery(url, query, method);
  return url;
}

function refuseForeignOrigin(url: URL, base: URL, options: UrlResolutionOptions, method: string): void {
  if (options.allowAbsoluteUrls === true || url.origin === base.origin) return;
  throw new HttpClientError(
    'INVALID_REQUEST',
    `Absolute URL ${url.origin} does not match the client's base URL ${base.origin}; set allowAbsoluteUrls to permit it`,
    { method, url, requestSent: false, rule: 'base-url-origin' },
  );
}

/** base + relative path, keeping the base's path as a prefix; query and fragment of `input` are kept. */
function joinBelow(base: URL, input: string): string {
  const prefix = base.origin + base.pathname.replace(/\/+$/, '');
  if (input === '') return base.href;
  if (input.startsWith('?') || input.startsWith('#')) return base.origin + base.pathname + input;
  return `${prefix}/${input.replace(/^\/+/, '')}`;
}

/**
 * Appends parameters to the URL's query (existing ones are kept). Objects
 * are read by own enumerable keys only (SECURITY.md rule 4): a polluted
 * `Object.prototype` adds nothing.
 */
export function appendQuery(url: URL, query: QueryInit, method = 'GET'): void {
  const pairs: [string, string][] = [];
  if (query instanceof URLSearchParams) {
    for (const [name, value] of query) pairs.push([name, value]);
  } else if (typeof (query as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const pair of query as Iterable<readonly [string, QueryValue]>) {
      if (!Array.isArray(pair) || pair.length !== 2)
        throw invalid('Query pairs must be [name, value]', method);
      pushValue(pairs, pair[0], pair[1], method);
    }
  } else if (typeof query === 'object' && query !== null) {
    const record = query as Readonly<Record<string, QueryValue | readonly QueryValue[]>>;
    for (const name of Object.keys(record)) {
      const value = record[name];
      if (Array.isArray(value))
        for (const item of value as readonly QueryValue[]) pushValue(pairs, name, item, method);
      else pushValue(pairs, name, value as QueryValue, method);
    }
  } else {
    throw invalid('The query must be an object, URLSearchParams or pairs', method);
  }
  for (const [name, value] of pairs) url.searchParams.append(name, value);
}

function pushValue(pairs: [string, string][], name: unknown, value: QueryValue, method: string): void {
  if (typeof name !== 'string') throw invalid('Query parameter names must be strings', method);
  if (value === undefined) return;
  if (value === null) {
    pairs.push([name, '']);
    return;
  }
  const kind = typeof value;
  if (kind !== 'string' && kind !== 'number' && kind !== 'boolean' && kind !== 'bigint') {
    throw invalid(`Query parameter ${JSON.stringify(name)} has an unsupported ${kind} value`, method);
  }
  pairs.push([name, String(value)]);
}

function invalid(message: string, method: string): HttpClientError {
  return new HttpClientError('INVALID_REQUEST', message, { method, requestSent: false });
}

/** Parses and checks the client's base URL once, at creation. */
export function parseBaseUrl(input: string | URL): URL {
  const url = parseRequestUrl(input);
  if (url.search !== '' || url.hash !== '') {
    throw new HttpClientError('INVALID_REQUEST', 'A base URL may not carry a query or fragment', {
      url,
      requestSent: false,
    });
  }
  return url;
}

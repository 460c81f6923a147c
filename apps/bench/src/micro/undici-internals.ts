import { createRequire } from 'node:module';

/**
 * undici's internal header parsers, loaded by file path (undici 8 has no
 * exports map, so this works, but these are not public API and may move in
 * any release: the scenarios that use them say so).
 */
const require = createRequire(import.meta.url);

export type UndiciCacheControl = Readonly<Record<string, unknown>>;

export type UndiciMimeType =
  | 'failure'
  | { readonly essence: string; readonly parameters: ReadonlyMap<string, string> };

export const undiciParseCacheControl = (
  require('undici/lib/util/cache.js') as { parseCacheControlHeader(value: string): UndiciCacheControl }
).parseCacheControlHeader;

export const undiciParseMimeType = (
  require('undici/lib/web/fetch/data-url.js') as { parseMIMEType(value: string): UndiciMimeType }
).parseMIMEType;

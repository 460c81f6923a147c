import { HttpClientError, type HttpResponse, withResponseChanges } from '@x/core';
import {
  type BareItem,
  type Item,
  item,
  serializeBareItem,
  serializeItem,
  serializeList,
  Token,
} from '@x/headers';
import type { CacheForward, CacheMeta } from './cache-options.js';
import type { CacheDecision } from './cache-strategy.js';

/**
 * The RFC 9211 `Cache-Status` field: one List member per cache that
 * handled the response, the origin's side first, so this layer appends its
 * member after any an upstream cache wrote (§2). Everything here is pure:
 * the member is a function of `response.meta.cache` and the status.
 */

/** sf-token: ALPHA or "*" first, then tchar / ":" / "/" (RFC 9651 §3.3.4). */
const SF_TOKEN = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*$/;

/**
 * The cache's identifier as a bare item: a Token when it is one, else a
 * String (§2 allows both). Checked once, when the layer is built, so a bad
 * name fails at configuration time and never on a request.
 */
export function cacheStatusName(name: string): BareItem {
  if (SF_TOKEN.test(name)) return new Token(name);
  try {
    serializeItem(item(name));
  } catch (cause) {
    throw new HttpClientError('INVALID_REQUEST', 'The cacheStatus name is not an RFC 9651 token or string', {
      requestSent: false,
      cause,
    });
  }
  if (name === '') {
    throw new HttpClientError('INVALID_REQUEST', 'The cacheStatus name is empty', { requestSent: false });
  }
  return name;
}

/**
 * This cache's member for a response (§2.1–§2.8): `hit` when no request
 * went forward, else `fwd` with `fwd-status`; `ttl` for stored responses
 * (negative once stale), `stored` after a forward, `collapsed` when the
 * request shared another's forward.
 */
export function cacheStatusMember(name: BareItem, meta: CacheMeta, status: number): Item {
  const parameters = new Map<string, BareItem>();
  const forward = forwardOf(meta);
  if (forward === null) {
    if (meta.status === 'hit' || meta.status === 'stale') parameters.set('hit', true);
  } else {
    parameters.set('fwd', new Token(forward));
    const forwardStatus =
      meta.forwardStatus ?? (meta.status === 'miss' || meta.status === 'bypass' ? status : undefined);
    if (forwardStatus !== undefined) parameters.set('fwd-status', forwardStatus);
  }
  if (meta.ttl !== undefined && Number.isFinite(meta.ttl)) parameters.set('ttl', Math.round(meta.ttl));
  if (meta.status === 'miss' && meta.stored !== undefined) parameters.set('stored', meta.stored);
  if (meta.collapsed === true) parameters.set('collapsed', true);
  if (meta.status === 'miss' && meta.reason === 'only-if-cached') parameters.set('detail', 'only-if-cached');
  return item(name, parameters);
}

function forwardOf(meta: CacheMeta): CacheForward | null {
  switch (meta.status) {
    case 'hit':
      return null;
    case 'stale':
      // Served stale after the origin failed (RFC 5861 §4): the request did go forward.
      return meta.staleReason === 'stale-if-error' ? 'stale' : null;
    case 'revalidated':
      return 'stale';
    case 'miss':
      return meta.reason === 'only-if-cached' ? null : (meta.forward ?? 'miss');
    case 'bypass':
      return meta.forward ?? 'bypass';
  }
}

/** RFC 9651 §3.3.1: the largest magnitude an sf-integer may have. */
const MAX_INTEGER = 999_999_999_999_999;

/** The RFC 9211 forward words: each an sf-token, so it is written as it is. */
const FORWARD_WORDS: ReadonlySet<string> = new Set<CacheForward>([
  'uri-miss',
  'vary-miss',
  'stale',
  'request',
  'method',
  'bypass',
  'miss',
]);

const isSfInteger = (value: number) =>
  Number.isInteger(value) && value <= MAX_INTEGER && value >= -MAX_INTEGER;

/**
 * This cache's Cache-Status member for a response, as field text. Every
 * member this layer makes of tokens, integers and booleans (hit, stale,
 * revalidated, miss, bypass) is written directly, in `cacheStatusMember`'s
 * parameter order and exactly as the RFC 9651 serializer writes it (tested
 * against it); anything else (the only-if-cached `detail` string, a value
 * out of sf-integer range) goes through `cacheStatusMember` and the
 * serializer.
 */
export function cacheStatusText(name: BareItem, nameText: string, meta: CacheMeta, status: number): string {
  return directMember(nameText, meta, status) ?? serializeList([cacheStatusMember(name, meta, status)]);
}

/** `cacheStatusMember` written out by hand (RFC 9651 §4.1.1.2 parameters), or null for what it does not cover. */
function directMember(nameText: string, meta: CacheMeta, status: number): string | null {
  if (meta.status === 'miss' && meta.reason === 'only-if-cached') return null;
  let text = nameText;
  const forward = forwardOf(meta);
  if (forward === null) {
    if (meta.status === 'hit' || meta.status === 'stale') text += ';hit';
  } else {
    if (!FORWARD_WORDS.has(forward)) return null;
    text += `;fwd=${forward}`;
    const forwardStatus =
      meta.forwardStatus ?? (meta.status === 'miss' || meta.status === 'bypass' ? status : undefined);
    if (forwardStatus !== undefined) {
      if (!isSfInteger(forwardStatus)) return null;
      text += `;fwd-status=${forwardStatus}`;
    }
  }
  if (meta.ttl !== undefined && Number.isFinite(meta.ttl)) {
    const ttl = Math.round(meta.ttl);
    if (!isSfInteger(ttl)) return null;
    // String(-0) is "0", as the serializer writes it.
    text += `;ttl=${String(ttl)}`;
  }
  if (meta.status === 'miss' && meta.stored !== undefined) text += meta.stored ? ';stored' : ';stored=?0';
  if (meta.collapsed === true) text += ';collapsed';
  return text;
}

/** The serialised identifier, computed once per layer for `cacheStatusText`. */
export function cacheStatusNameText(name: BareItem): string {
  return serializeBareItem(name);
}

/** The response with this cache's member appended to Cache-Status (headers copied, never mutated). */
export function withCacheStatus(
  response: HttpResponse,
  name: BareItem,
  nameText: string = cacheStatusNameText(name),
): HttpResponse {
  const meta = response.meta.cache;
  if (meta === undefined) return response;
  const headers = response.headers.clone();
  headers.append('Cache-Status', cacheStatusText(name, nameText, meta, response.status));
  return withResponseChanges(response, { headers });
}

/** Why a `network` decision forwards, in RFC 9211 §2.2 words; `storedCount` is what the URI had stored. */
export function forwardReason(decision: CacheDecision, storedCount: number): CacheForward {
  if (decision.action !== 'network') return 'miss';
  switch (decision.reason) {
    case 'no stored response':
      return storedCount > 0 ? 'vary-miss' : 'uri-miss';
    case 'reload':
    case 'request no-cache':
    case 'request max-age':
    case 'request min-fresh':
      return 'request';
    case 'response no-cache':
    case 'stale':
      return 'stale';
    default:
      return 'miss';
  }
}

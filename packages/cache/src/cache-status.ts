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

/**
 * This cache's Cache-Status member for a response, as field text. A plain
 * hit (the common case, and all a memory hit does besides copying) is
 * written directly: `<name>;hit` and `;ttl=<n>`, exactly what the generic
 * serializer makes of the same member (tested against it); every other
 * member goes through `cacheStatusMember` and the RFC 9651 serializer.
 */
export function cacheStatusText(name: BareItem, nameText: string, meta: CacheMeta, status: number): string {
  if (meta.status === 'hit' && meta.collapsed !== true) {
    if (meta.ttl === undefined || !Number.isFinite(meta.ttl)) return `${nameText};hit`;
    const ttl = Math.round(meta.ttl);
    if (ttl <= MAX_INTEGER && ttl >= -MAX_INTEGER)
      return `${nameText};hit;ttl=${ttl === 0 ? '0' : String(ttl)}`;
  }
  return serializeList([cacheStatusMember(name, meta, status)]);
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

import type { Clock } from '@x/core';
import { fieldValueProblem } from '@x/headers';
import { Cookie, type CookieJar } from 'tough-cookie';
import { applyCookieLimits, cookieNameOf } from './cookie-limits.js';

/**
 * The two halves of one exchange with the jar, apart from the layer:
 * which cookies go out with a request, and what a response's Set-Cookie
 * fields change. Time comes from the injected clock, never Date.now().
 */

/** RFC 6265bis §5.6.1/§5.6.2: an expiry is never more than 400 days ahead. */
export const MAX_COOKIE_LIFETIME_MS = 400 * 24 * 60 * 60 * 1000;

/**
 * The cookies to send to `url` (RFC 6265bis §5.8.3): tough-cookie's domain,
 * path, host-only and HttpOnly matching, sorted longest path first then
 * oldest first; expired ones (by `clock`) are removed from the store; a
 * Secure cookie is never sent over anything but https:.
 */
export async function cookiesFor(jar: CookieJar, url: URL, clock: Clock): Promise<Cookie[]> {
  // expire:false — tough-cookie would judge expiry by Date.now(); we judge by the clock below.
  const found = await jar.getCookies(url.href, { http: true, expire: false, sort: true });
  const now = clock.now();
  const live: Cookie[] = [];
  for (const cookie of found) {
    const expiry = cookie.expiryTime();
    if (expiry !== undefined && expiry <= now) {
      await jar.store.removeCookie(cookie.domain, cookie.path, cookie.key);
      continue;
    }
    if (cookie.secure && url.protocol !== 'https:') continue;
    if (fieldValueProblem(cookie.cookieString()) !== null) continue;
    live.push(cookie);
  }
  return live;
}

export interface StoreResult {
  readonly stored: string[];
  readonly rejected: { name: string; reason: string }[];
}

/**
 * Stores each Set-Cookie field received from `url` (RFC 6265bis §5.7).
 * A refused cookie is reported, never thrown: a server's bad cookie must
 * not fail its response.
 */
export async function storeSetCookies(
  jar: CookieJar,
  url: URL,
  setCookies: readonly string[],
  clock: Clock,
): Promise<StoreResult> {
  const result: StoreResult = { stored: [], rejected: [] };
  const now = clock.now();
  for (const field of setCookies) {
    const name = cookieNameOf(field);
    const limited = applyCookieLimits(field);
    if (!limited.ok) {
      result.rejected.push({ name, reason: limited.reason });
      continue;
    }
    let cookie: Cookie | undefined;
    try {
      cookie = Cookie.parse(limited.setCookie);
    } catch {
      cookie = undefined;
    }
    if (cookie === undefined) {
      result.rejected.push({ name, reason: 'not a valid Set-Cookie value' });
      continue;
    }
    // §5.7 step 16: a Secure cookie only from a secure scheme (no "localhost is secure" exception).
    if (cookie.secure && url.protocol !== 'https:') {
      result.rejected.push({ name, reason: 'Secure cookie set over http:' });
      continue;
    }
    fixExpiry(cookie, now);
    try {
      await jar.setCookie(cookie, url.href, { http: true, now: new Date(now) });
      result.stored.push(cookie.key);
    } catch (error) {
      result.rejected.push({ name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}

/**
 * Turns Max-Age into an absolute expiry at receipt (§5.6.2: "current time
 * plus delta-seconds"), capped at 400 days like Expires. tough-cookie would
 * count Max-Age from the last access instead, which every read moves, and
 * by the real clock.
 */
function fixExpiry(cookie: Cookie, now: number): void {
  const cap = now + MAX_COOKIE_LIFETIME_MS;
  if (typeof cookie.maxAge === 'number' || cookie.maxAge === '-Infinity') {
    const seconds = cookie.maxAge === '-Infinity' ? 0 : cookie.maxAge;
    cookie.expires = new Date(seconds <= 0 ? 0 : Math.min(now + seconds * 1000, cap));
    cookie.maxAge = null;
    return;
  }
  if (cookie.maxAge === 'Infinity' || cookie.expires === 'Infinity') {
    cookie.maxAge = null;
    cookie.expires = new Date(cap);
    return;
  }
  if (cookie.expires instanceof Date && cookie.expires.getTime() > cap) cookie.expires = new Date(cap);
}

import type { HeaderList } from '@x/headers';

/**
 * RFC 9111 §4.4: an unsafe request that succeeded changed something on the
 * origin, so the stored responses for its target URI, and for the
 * same-origin URIs in Location / Content-Location, are no longer to be
 * trusted. A cross-origin URI is never invalidated: otherwise any site
 * could flush another's entries (the denial-of-service note in §4.4).
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** RFC 9110 §9.2.1. Methods are case-sensitive: `get` is not GET, and is therefore unsafe. */
export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method);
}

export function invalidationTargets(
  method: string,
  requestUrl: URL,
  status: number,
  responseHeaders: HeaderList,
): URL[] {
  if (isSafeMethod(method)) return [];
  // "Non-error status code": 2xx and 3xx.
  if (status < 200 || status >= 400) return [];
  const targets = [requestUrl];
  for (const field of ['location', 'content-location']) {
    const value = responseHeaders.getAll(field)[0];
    if (value === undefined) continue;
    let target: URL;
    try {
      target = new URL(value, requestUrl);
    } catch {
      continue;
    }
    if (target.origin === requestUrl.origin && !targets.some((known) => known.href === target.href)) {
      targets.push(target);
    }
  }
  return targets;
}

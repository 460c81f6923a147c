import {
  age,
  type CacheControl,
  cacheControl,
  date,
  expires,
  type HeaderList,
  lastModified,
} from '@x/headers';

/**
 * Freshness and age (RFC 9111 §4.2), as pure functions of a stored
 * response and the time. Everything is in seconds (fractions kept; the Age
 * header rounds down), times in wall-clock milliseconds.
 */

/** What freshness is computed from: a stored (or just received) response head. */
export interface ResponseTimes {
  readonly status: number;
  readonly headers: HeaderList;
  /** When the request was sent (§4.2.3 request_time), ms. */
  readonly requestTime: number;
  /** When the response was received (§4.2.3 response_time), ms. */
  readonly responseTime: number;
}

export type FreshnessSource = 's-maxage' | 'max-age' | 'expires' | 'heuristic' | 'none';

export interface FreshnessLifetime {
  readonly seconds: number;
  readonly source: FreshnessSource;
}

/**
 * Status codes "heuristically cacheable" (RFC 9110 §15.1): a cache may give
 * them a freshness lifetime when the origin gave none.
 */
export const HEURISTICALLY_CACHEABLE = new Set([200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]);

/** The share of (Date − Last-Modified) used as heuristic lifetime (RFC 9111 §4.2.2 suggests 10%). */
export const HEURISTIC_FRACTION = 0.1;

/**
 * RFC 9111 §4.2.1, first match wins: s-maxage (shared caches only),
 * max-age, Expires − Date; else the heuristic of §4.2.2 for a response
 * with Last-Modified and a heuristically cacheable status. An Expires that
 * does not parse means "already expired" (§5.3).
 */
export function freshnessLifetime(
  response: ResponseTimes,
  shared: boolean,
  directives: CacheControl = cacheControl(response.headers),
): FreshnessLifetime {
  if (shared && directives.sMaxAge !== undefined) return { seconds: directives.sMaxAge, source: 's-maxage' };
  if (directives.maxAge !== undefined) return { seconds: directives.maxAge, source: 'max-age' };
  const expiry = expires(response.headers);
  if (expiry !== null) {
    if (!expiry.ok) return { seconds: 0, source: 'expires' };
    return { seconds: Math.max(0, (expiry.value - dateValue(response)) / 1000), source: 'expires' };
  }
  if (HEURISTICALLY_CACHEABLE.has(response.status)) {
    const modified = lastModified(response.headers);
    if (modified?.ok) {
      const interval = (dateValue(response) - modified.value) / 1000;
      if (interval > 0) return { seconds: interval * HEURISTIC_FRACTION, source: 'heuristic' };
    }
  }
  return { seconds: 0, source: 'none' };
}

/**
 * The Date of a response (§4.2.3 date_value). RFC 9110 §6.6.1: a recipient
 * with a clock treats a missing or invalid Date as the time it received the
 * message.
 */
export function dateValue(response: ResponseTimes): number {
  const parsed = date(response.headers);
  return parsed?.ok ? parsed.value : response.responseTime;
}

/**
 * The age of a response when it was received, corrected for the network
 * delay and for caches on the path (§4.2.3 corrected_initial_age).
 */
export function initialAge(response: ResponseTimes): number {
  const parsedAge = age(response.headers);
  const ageValue = parsedAge?.ok ? parsedAge.value : 0;
  const apparentAge = Math.max(0, (response.responseTime - dateValue(response)) / 1000);
  const responseDelay = Math.max(0, (response.responseTime - response.requestTime) / 1000);
  const correctedAgeValue = ageValue + responseDelay;
  return Math.max(apparentAge, correctedAgeValue);
}

/** §4.2.3 current_age: the initial age plus the time the response has been resident here. */
export function currentAge(response: ResponseTimes, now: number): number {
  const residentTime = Math.max(0, (now - response.responseTime) / 1000);
  return initialAge(response) + residentTime;
}

/** Everything the strategy needs about one stored response at one instant. */
export interface FreshnessState {
  readonly age: number;
  readonly lifetime: FreshnessLifetime;
  /** lifetime − age: positive while fresh, the staleness (negated) after. */
  readonly remaining: number;
  readonly fresh: boolean;
  readonly directives: CacheControl;
}

/**
 * The parts of a stored response's freshness that do not change while it
 * sits in the store (its Cache-Control, its age when received, its
 * lifetime for a shared and a private cache), so a hit need not parse the
 * stored Cache-Control and Date again: only the resident time (§4.2.3)
 * moves with the clock. One per stored head; the lifetimes fill in on use.
 */
export interface StoredFreshness {
  readonly directives: CacheControl;
  readonly initialAge: number;
  sharedLifetime?: FreshnessLifetime;
  privateLifetime?: FreshnessLifetime;
}

export function storedFreshness(response: ResponseTimes): StoredFreshness {
  return { directives: cacheControl(response.headers), initialAge: initialAge(response) };
}

/** The freshness lifetime under shared or private rules, computed on first use and kept in `stored`. */
export function storedLifetime(
  response: ResponseTimes,
  shared: boolean,
  stored: StoredFreshness,
): FreshnessLifetime {
  let lifetime = shared ? stored.sharedLifetime : stored.privateLifetime;
  if (lifetime === undefined) {
    lifetime = freshnessLifetime(response, shared, stored.directives);
    if (shared) stored.sharedLifetime = lifetime;
    else stored.privateLifetime = lifetime;
  }
  return lifetime;
}

/** §4.2: a response is fresh while its freshness lifetime exceeds its current age. */
export function freshnessState(
  response: ResponseTimes,
  shared: boolean,
  now: number,
  stored?: StoredFreshness,
): FreshnessState {
  if (stored !== undefined) {
    const directives = stored.directives;
    const lifetime = storedLifetime(response, shared, stored);
    const currentAgeSeconds = stored.initialAge + Math.max(0, (now - response.responseTime) / 1000);
    const remaining = lifetime.seconds - currentAgeSeconds;
    return { age: currentAgeSeconds, lifetime, remaining, fresh: remaining > 0, directives };
  }
  const directives = cacheControl(response.headers);
  const lifetime = freshnessLifetime(response, shared, directives);
  const currentAgeSeconds = currentAge(response, now);
  const remaining = lifetime.seconds - currentAgeSeconds;
  return { age: currentAgeSeconds, lifetime, remaining, fresh: remaining > 0, directives };
}

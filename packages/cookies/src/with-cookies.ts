import {
  type Clock,
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  type Layer,
  systemClock,
  withRequestChanges,
  withResponseChanges,
} from '@x/core';
import type { CookieJar } from 'tough-cookie';
import { cookiesFor, storeSetCookies } from './cookie-exchange.js';
import type { CookieMeta } from './cookie-meta.js';
import { cookieStoreError } from './cookie-store-error.js';

export interface CookieLayerOptions {
  /** Where cookies live: `createCookieJar()`, `loadCookieJar(path)` or any tough-cookie CookieJar. */
  readonly jar: CookieJar;
  /** Decides expiry (Expires, Max-Age). Default `systemClock()`. */
  readonly clock?: Clock | undefined;
}

/**
 * Sends the jar's matching cookies with each request and stores every
 * response's Set-Cookie fields, 3xx included, before the response is
 * returned. Put it inside (below) the redirect layer: each hop then gets
 * the cookies of its own URL, and cookies set by a redirect are sent on the
 * next hop. A Cookie field the caller set is kept, and the jar's cookies
 * are appended to it.
 */
export function withCookies(inner: HttpTransport, options: CookieLayerOptions): HttpTransport {
  const jar = Object.hasOwn(options, 'jar') ? options.jar : undefined;
  if (jar === undefined || typeof jar !== 'object' || typeof jar.getCookies !== 'function') {
    throw new HttpClientError('INVALID_REQUEST', 'withCookies needs a tough-cookie CookieJar as `jar`', {
      requestSent: false,
      details: { option: 'jar' },
    });
  }
  const clock = (Object.hasOwn(options, 'clock') ? options.clock : undefined) ?? systemClock();

  return {
    async request(request: HttpRequest): Promise<HttpResponse> {
      let outgoing = request;
      let sent: string[] = [];
      try {
        const cookies = await cookiesFor(jar, request.url, clock);
        if (cookies.length > 0) {
          sent = cookies.map((cookie) => cookie.key);
          const jarValue = cookies.map((cookie) => cookie.cookieString()).join('; ');
          const headers = request.headers.clone();
          const callerValue = headers.getAll('cookie').join('; ');
          // RFC 6265bis §5.8.3: one Cookie field.
          headers.set('Cookie', callerValue === '' ? jarValue : `${callerValue}; ${jarValue}`);
          outgoing = withRequestChanges(request, { headers });
        }
      } catch (error) {
        throw cookieStoreError('Reading cookies from the jar failed', error, request);
      }
      const response = await inner.request(outgoing);
      const setCookies = response.headers.getAll('set-cookie');
      // Most responses set no cookie: then there is nothing to store and no store pass to wait for.
      const result =
        setCookies.length === 0
          ? { stored: [], rejected: [] }
          : await storeSetCookies(jar, request.url, setCookies, clock);
      const meta: CookieMeta = { sent, stored: result.stored, rejected: result.rejected };
      return withResponseChanges(response, { meta: { ...response.meta, cookies: meta } });
    },
    close: () => inner.close(),
  };
}

/** `withCookies` as a Layer for `compose`. */
export function cookies(options: CookieLayerOptions): Layer {
  return (inner) => withCookies(inner, options);
}

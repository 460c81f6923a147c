import { Cookie, CookieJar, type SerializedCookieJar, type Store } from 'tough-cookie';

export { Cookie, CookieJar, type SerializedCookieJar, type Store };

export interface CookieJarOptions {
  /** A tough-cookie Store (persistent or shared); default an in-memory store. */
  readonly store?: Store | undefined;
}

/**
 * A tough-cookie CookieJar with the settings this package relies on:
 * public suffixes refused (tldts' Public Suffix List: no cookie for `co.uk`),
 * `Secure` cookies only stored from and sent to https: (never "secure
 * because localhost"), `__Secure-`/`__Host-` prefix rules enforced, strict
 * parsing. Any CookieJar works with `withCookies`; the layer applies the
 * https-only rule for Secure cookies itself either way.
 */
export function createCookieJar(options: CookieJarOptions = {}): CookieJar {
  return new CookieJar(options.store, {
    rejectPublicSuffixes: true,
    allowSecureOnLocal: false,
    enforceSecureOriginOnStorage: true,
    prefixSecurity: 'strict',
    looseMode: false,
  });
}

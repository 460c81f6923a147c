import { HttpClientError } from '@x/core';
import { type ProxyConnectorOptions, type ProxyOptions, proxyFromEnvironment } from '@x/proxy';

/** The proxy settings a client takes: the routing of `@x/proxy` plus extra CAs for an https:// proxy. */
export interface ClientProxyOptions extends ProxyOptions {
  /** Extra trusted CAs (PEM) for an https:// proxy's own certificate. Default: Node's roots. */
  readonly proxyCa?: ProxyConnectorOptions['proxyCa'];
}

/**
 * `false` (the default): no proxy. An object: those proxies. `'environment'`:
 * `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY` as `proxyFromEnvironment`
 * reads them (httpoxy-safe, lower case first). Any other string, or a `URL`:
 * one proxy for both schemes, as curl's `-x` (`'socks5h://127.0.0.1:1080'`,
 * `'http://proxy.example:3128'`).
 */
export type ProxyOption = false | ClientProxyOptions | 'environment' | (string & {}) | URL;

/**
 * The proxy settings to wire, or undefined for none. `environment` is read
 * only for `'environment'`, and only here: the client calls this once, when
 * it is built, with `process.env` (the one environment read of the library).
 */
export function resolveProxyOption(
  option: ProxyOption | undefined,
  environment: () => Readonly<Record<string, string | undefined>>,
): ClientProxyOptions | undefined {
  if (option === undefined || option === false) return undefined;
  let settings: ClientProxyOptions;
  if (option === 'environment') settings = proxyFromEnvironment(environment());
  else if ((typeof option === 'string' && option.trim() !== '') || option instanceof URL)
    settings = { http: option, https: option };
  else if (typeof option === 'object' && option !== null) settings = ownSettings(option);
  else {
    throw new HttpClientError(
      'INVALID_REQUEST',
      "proxy must be false, 'environment', a proxy URL or an object",
      {
        requestSent: false,
        details: { option: 'proxy' },
      },
    );
  }
  const routes = settings.http !== undefined && settings.http !== '';
  const tunnels = settings.https !== undefined && settings.https !== '';
  return routes || tunnels ? settings : undefined;
}

/** Own properties only (SECURITY.md rule 4). */
function ownSettings(option: ClientProxyOptions): ClientProxyOptions {
  const own = <K extends keyof ClientProxyOptions>(key: K) =>
    Object.hasOwn(option, key) ? option[key] : undefined;
  return { http: own('http'), https: own('https'), noProxy: own('noProxy'), proxyCa: own('proxyCa') };
}

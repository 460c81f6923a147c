import type { ProxyOptions } from './proxy-routing.js';

/** An environment: `process.env` or any plain record. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads proxy configuration from an environment object the way curl and Go
 * do. The only function of this package that looks at an environment, and
 * only at the one it is given: call it once when the client is built.
 *
 * - `http_proxy` / `HTTP_PROXY` for http:, `https_proxy` / `HTTPS_PROXY` for
 *   https:, `all_proxy` / `ALL_PROXY` for either when the specific one is
 *   unset; `no_proxy` / `NO_PROXY` for exclusions.
 * - Lower case wins over upper case (curl's order; curl reads `http_proxy`
 *   in lower case only).
 * - `HTTP_PROXY` in upper case is ignored when `REQUEST_METHOD` is set: in a
 *   CGI program it may come from a request's `Proxy:` header ("httpoxy",
 *   CVE-2016-5385), which is why Go and curl refuse it there.
 * - Empty values count as unset.
 */
export function proxyFromEnvironment(env: Environment): ProxyOptions {
  const read = (name: string): string | undefined => {
    const value = Object.hasOwn(env, name) ? env[name] : undefined;
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const cgi = read('REQUEST_METHOD') !== undefined;
  const all = read('all_proxy') ?? read('ALL_PROXY');
  const http = read('http_proxy') ?? (cgi ? undefined : read('HTTP_PROXY')) ?? all;
  const https = read('https_proxy') ?? read('HTTPS_PROXY') ?? all;
  const noProxy = read('no_proxy') ?? read('NO_PROXY');
  return {
    ...(http === undefined ? {} : { http }),
    ...(https === undefined ? {} : { https }),
    ...(noProxy === undefined ? {} : { noProxy }),
  };
}

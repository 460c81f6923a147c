import type { ResponseMeta } from '@x/core';

/** Which proxy carried a response, as `response.meta.proxy`. */
export interface ProxyMeta {
  /** The proxy URL without credentials. */
  readonly url: string;
  /**
   * `forward`: http: request sent to the proxy in absolute-form; `tunnel`:
   * https: through an HTTP CONNECT; `socks`: http: or https: through a SOCKS5 CONNECT.
   */
  readonly mode: 'forward' | 'tunnel' | 'socks';
}

declare module '@x/core' {
  interface ResponseMeta {
    proxy?: ProxyMeta | undefined;
  }
}

export function proxyMeta(meta: ProxyMeta): Partial<ResponseMeta> {
  return { proxy: meta };
}

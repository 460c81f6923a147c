/** What the cookie layer did on one exchange, as `response.meta.cookies`. Names only, never values. */
export interface CookieMeta {
  /** Names of the cookies sent with the request. */
  readonly sent: readonly string[];
  /** Names of the cookies stored from the response's Set-Cookie fields. */
  readonly stored: readonly string[];
  /** Set-Cookie fields refused, with why (public suffix, foreign domain, Secure over http:, size, syntax). */
  readonly rejected: readonly { readonly name: string; readonly reason: string }[];
}

declare module '@x/core' {
  interface ResponseMeta {
    cookies?: CookieMeta | undefined;
  }
}

import { HttpClientError } from '@x/core';

declare module '@x/core' {
  interface ErrorCodes {
    /** The cookie jar's store failed to read, or a jar file could not be read or written. */
    COOKIE_STORE_FAILED: true;
  }
}

export function cookieStoreError(
  message: string,
  cause: unknown,
  request?: { method: string; url: URL },
): HttpClientError {
  return new HttpClientError('COOKIE_STORE_FAILED', message, {
    method: request?.method,
    url: request?.url,
    requestSent: false,
    cause,
  });
}

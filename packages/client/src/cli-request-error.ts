import { HttpClientError } from '@x/core';

/** A bad file or value found while preparing the request: INVALID_REQUEST, exit code 2, nothing sent. */
export function cliInputError(message: string, cause?: unknown): HttpClientError {
  return new HttpClientError('INVALID_REQUEST', message, { requestSent: false, cause });
}

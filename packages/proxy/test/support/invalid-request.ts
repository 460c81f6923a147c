import { HttpClientError } from '@x/core';
import { expect } from 'vitest';

/** The INVALID_REQUEST error `run` throws synchronously; fails the test otherwise. */
export function invalidRequest(run: () => unknown): HttpClientError {
  try {
    run();
  } catch (error) {
    expect(HttpClientError.is(error, 'INVALID_REQUEST')).toBe(true);
    return error as HttpClientError;
  }
  throw new Error('expected INVALID_REQUEST');
}

import { HttpClientError } from '@x/core';
import { expect } from 'vitest';

/**
 * The HttpClientError `promise` rejects with. Fails the test when it
 * fulfils or rejects with anything else, so a caller can go straight on to
 * assert the error's code, phase and flags.
 */
export async function failure(promise: Promise<unknown>): Promise<HttpClientError> {
  try {
    await promise;
  } catch (error) {
    expect(HttpClientError.is(error)).toBe(true);
    return error as HttpClientError;
  }
  throw new Error('expected a failure');
}

import { describe, expect, it } from 'vitest';
import { createRequest, type RequestOptions, withRequestChanges } from '../src/index.js';

const url = 'http://h.test/';
const polluted = Object.prototype as Record<string, unknown>;

declare module '../src/index.js' {
  interface RequestOptions {
    testOption?: { limit: number } | undefined;
  }
}

describe('request.options', () => {
  it('is a frozen copy of the caller own properties that inherits nothing, even from a polluted Object.prototype', () => {
    const given = { testOption: { limit: 1 } } as RequestOptions;
    const request = createRequest({ url, options: given });
    expect(request.options).not.toBe(given);
    expect(Object.isFrozen(request.options)).toBe(true);
    expect(request.options.testOption).toBe(given.testOption);
    (given as { testOption?: unknown }).testOption = { limit: 2 };
    expect(request.options.testOption).toEqual({ limit: 1 });
    polluted.decode = false;
    polluted.retry = false;
    try {
      expect((request.options as Record<string, unknown>).decode).toBeUndefined();
      expect((createRequest({ url }).options as Record<string, unknown>).retry).toBeUndefined();
      expect(Object.keys(request.options)).toEqual(['testOption']);
    } finally {
      delete polluted.decode;
      delete polluted.retry;
    }
    const prototype = Object.getPrototypeOf(request.options) as object;
    expect(Object.getPrototypeOf(prototype)).toBeNull();
    expect(Reflect.ownKeys(prototype)).toEqual([]);
    expect(Object.isFrozen(prototype)).toBe(true);
  });

  it('hands its own copy on without another: to a new request and through withRequestChanges', () => {
    const first = createRequest({ url, options: { testOption: { limit: 1 } } });
    expect(createRequest({ url, options: first.options }).options).toBe(first.options);
    expect(withRequestChanges(first, { method: 'POST' }).options).toBe(first.options);
    const empty = createRequest({ url }).options;
    expect(createRequest({ url }).options).toBe(empty);
    expect(createRequest({ url, options: empty }).options).toBe(empty);
  });

  it('keeps a caller object that is frozen with a null prototype as it is', () => {
    const given = Object.freeze(
      Object.assign(Object.create(null) as RequestOptions, { testOption: { limit: 3 } }),
    );
    expect(createRequest({ url, options: given }).options).toBe(given);
  });

  it('copies an object made on its prototype by a caller: only core makes the copies it trusts', () => {
    const prototype = Object.getPrototypeOf(createRequest({ url }).options) as object;
    const forged = Object.create(prototype) as RequestOptions & { testOption?: { limit: number } };
    forged.testOption = { limit: 4 };
    const request = createRequest({ url, options: forged });
    expect(request.options).not.toBe(forged);
    expect(Object.isFrozen(request.options)).toBe(true);
    forged.testOption = { limit: 5 };
    expect(request.options.testOption).toEqual({ limit: 4 });
  });
});

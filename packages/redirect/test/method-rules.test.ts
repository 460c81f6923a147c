import { describe, expect, it } from 'vitest';
import { isRedirectStatus, rewriteMethod } from '../src/index.js';

describe('isRedirectStatus', () => {
  it('is true only for 301, 302, 303, 307 and 308', () => {
    const followed = [];
    for (let status = 100; status < 600; status++) if (isRedirectStatus(status)) followed.push(status);
    expect(followed).toEqual([301, 302, 303, 307, 308]);
  });
});

describe('rewriteMethod (RFC 9110 §15.4)', () => {
  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'post'];

  it('303 turns everything but HEAD into GET and drops the body', () => {
    for (const method of methods) {
      expect(rewriteMethod(303, method, false)).toEqual({
        method: method === 'HEAD' ? 'HEAD' : 'GET',
        keepBody: false,
      });
      // preserveMethod is about 301/302 only.
      expect(rewriteMethod(303, method, true).keepBody).toBe(false);
    }
  });

  it('301 and 302 turn POST into a bodiless GET and keep every other method', () => {
    for (const status of [301, 302]) {
      for (const method of methods) {
        const expected = method === 'POST' ? { method: 'GET', keepBody: false } : { method, keepBody: true };
        expect(rewriteMethod(status, method, false)).toEqual(expected);
      }
    }
  });

  it('301 and 302 keep POST and its body with preserveMethod', () => {
    expect(rewriteMethod(301, 'POST', true)).toEqual({ method: 'POST', keepBody: true });
    expect(rewriteMethod(302, 'POST', true)).toEqual({ method: 'POST', keepBody: true });
  });

  it('307 and 308 keep method and body', () => {
    for (const status of [307, 308]) {
      for (const method of methods)
        expect(rewriteMethod(status, method, false)).toEqual({ method, keepBody: true });
    }
  });
});

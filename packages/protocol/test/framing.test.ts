import { describe, expect, it } from 'vitest';
import {
  connectionIsPersistent,
  decideFraming,
  type FramingInput,
  keepAliveTimeoutHint,
  parseContentLength,
} from '../src/index.js';

const base: FramingInput = {
  status: 200,
  httpVersion: '1.1',
  requestMethod: 'GET',
  contentLength: [],
  transferEncoding: [],
  connection: [],
};

function decide(changes: Partial<FramingInput>) {
  return decideFraming({ ...base, ...changes });
}

describe('decideFraming (RFC 9112 §6.3)', () => {
  it('gives HEAD, 1xx, 204 and 304 no body whatever the fields say', () => {
    for (const changes of [
      { requestMethod: 'HEAD', contentLength: ['10'] },
      { status: 204 },
      { status: 304, contentLength: ['5'] },
      { status: 103 },
      { status: 204, transferEncoding: ['chunked'] },
    ]) {
      expect(decide(changes)).toEqual({ ok: true, framing: { kind: 'none', length: null, keepAlive: true } });
    }
  });

  it('still rejects a malformed Content-Length on a bodiless response', () => {
    expect(decide({ status: 304, contentLength: ['x'] })).toMatchObject({
      ok: false,
      rule: 'content-length-invalid',
    });
  });

  it('turns a 2xx to CONNECT into a tunnel that is not reused', () => {
    expect(decide({ requestMethod: 'CONNECT', contentLength: ['5'] })).toEqual({
      ok: true,
      framing: { kind: 'none', length: null, keepAlive: false },
    });
    expect(decide({ requestMethod: 'CONNECT', status: 407, contentLength: ['1'] })).toMatchObject({
      framing: { kind: 'length', length: 1 },
    });
  });

  it('uses chunked when Transfer-Encoding ends in chunked, and never reuses when Content-Length came too', () => {
    expect(decide({ transferEncoding: ['chunked'] })).toMatchObject({
      framing: { kind: 'chunked', keepAlive: true },
    });
    expect(decide({ transferEncoding: ['Chunked'], contentLength: ['3'] })).toMatchObject({
      framing: { kind: 'chunked', keepAlive: false },
    });
  });

  it('names each Transfer-Encoding breach', () => {
    expect(decide({ httpVersion: '1.0', transferEncoding: ['chunked'] })).toMatchObject({
      rule: 'transfer-encoding-http10',
    });
    expect(decide({ transferEncoding: ['chunked', 'chunked'] })).toMatchObject({
      rule: 'transfer-encoding-chunked-twice',
    });
    expect(decide({ transferEncoding: ['gzip'] })).toMatchObject({ rule: 'transfer-encoding-unsupported' });
    expect(decide({ transferEncoding: ['chunked, gzip'] })).toMatchObject({
      rule: 'transfer-encoding-unsupported',
    });
    expect(decide({ transferEncoding: [''] })).toMatchObject({ rule: 'transfer-encoding-invalid' });
    expect(decide({ transferEncoding: ['chu nked'] })).toMatchObject({ rule: 'transfer-encoding-invalid' });
  });

  it('reads until close without framing fields, and then never reuses', () => {
    expect(decide({})).toEqual({ ok: true, framing: { kind: 'close', length: null, keepAlive: false } });
  });

  it('takes a valid Content-Length', () => {
    expect(decide({ contentLength: ['0'] })).toEqual({
      ok: true,
      framing: { kind: 'length', length: 0, keepAlive: true },
    });
    expect(decide({ contentLength: ['42'], connection: ['close'] })).toMatchObject({
      framing: { length: 42, keepAlive: false },
    });
  });
});

describe('parseContentLength', () => {
  it('accepts digits and identical repeats, refuses the rest', () => {
    expect(parseContentLength(['12'])).toBe(12);
    expect(parseContentLength(['12, 12', '12'])).toBe(12);
    expect(parseContentLength(['12', '13'])).toBe('conflict');
    expect(parseContentLength(['+1'])).toBe('invalid');
    expect(parseContentLength(['1.0'])).toBe('invalid');
    expect(parseContentLength(['1,'])).toBe('invalid');
    expect(parseContentLength([''])).toBe('invalid');
    expect(parseContentLength(['9007199254740991'])).toBe(9007199254740991);
    expect(parseContentLength(['9007199254740992'])).toBe('invalid');
  });
});

describe('connection persistence and Keep-Alive hints', () => {
  it('follows RFC 9112 §9.3', () => {
    expect(connectionIsPersistent('1.1', [])).toBe(true);
    expect(connectionIsPersistent('1.1', ['foo, Close'])).toBe(false);
    expect(connectionIsPersistent('1.0', [])).toBe(false);
    expect(connectionIsPersistent('1.0', ['Keep-Alive'])).toBe(true);
  });

  it('reads timeout= in seconds as milliseconds', () => {
    expect(keepAliveTimeoutHint('timeout=5, max=100')).toBe(5000);
    expect(keepAliveTimeoutHint('max=100')).toBeUndefined();
    expect(keepAliveTimeoutHint('timeout=-1')).toBeUndefined();
    expect(keepAliveTimeoutHint(null)).toBeUndefined();
  });

  it('answers each value for itself when values repeat and alternate', () => {
    const values = [
      'timeout=5',
      'timeout=5',
      'TIMEOUT = 7',
      'timeout=5',
      'timeout=x',
      'timeout=x',
      'max=3, timeout=2',
    ];
    expect(values.map((value) => keepAliveTimeoutHint(value))).toEqual([
      5000,
      5000,
      7000,
      5000,
      undefined,
      undefined,
      2000,
    ]);
    // A value built anew (not the same string object) with the same text gives the same answer.
    expect(keepAliveTimeoutHint(['timeout', '=', '2'].join(''))).toBe(2000);
    expect(keepAliveTimeoutHint(null)).toBeUndefined();
  });
});

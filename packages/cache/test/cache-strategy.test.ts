import { HeaderList } from '@x/headers';
import { describe, expect, it } from 'vitest';
import {
  type CacheMode,
  type Candidate,
  decide,
  requestDirectives,
  type StoredResponseHead,
  staleIfErrorAllows,
} from '../src/index.js';
import { httpDate } from './helpers/origin.js';

const T0 = Date.UTC(2026, 0, 1);

const candidate = (headers: Record<string, string>): Candidate => {
  const list = new HeaderList({ Date: httpDate(T0), ...headers });
  const head: StoredResponseHead = {
    status: 200,
    reason: 'OK',
    httpVersion: '1.1',
    fields: list.toRaw(),
    url: 'http://127.0.0.1/',
    varyValues: [],
    requestTime: T0,
    responseTime: T0,
    discardAfter: null,
  };
  return { entry: { variant: '[]', bodyId: '1', bodySize: 0, head }, headers: list };
};

const decideAt = (
  secondsLater: number,
  stored: Record<string, string> | null,
  request: Record<string, string> = {},
  options: { mode?: CacheMode; shared?: boolean } = {},
) =>
  decide({
    now: T0 + secondsLater * 1000,
    shared: options.shared ?? true,
    requestHeaders: new HeaderList(request),
    mode: options.mode ?? 'default',
    candidates: stored === null ? [] : [candidate(stored)],
  });

describe('decide (RFC 9111 §4)', () => {
  it('goes to the network without validators when nothing is stored', () => {
    expect(decideAt(0, null)).toMatchObject({ action: 'network', candidate: null, conditional: null });
  });

  it('serves a fresh response and validates a stale one with its validators', () => {
    const stored = { 'Cache-Control': 'max-age=60', ETag: '"a"', 'Last-Modified': httpDate(T0 - 1000) };
    expect(decideAt(59, stored).action).toBe('fresh');
    const stale = decideAt(61, stored);
    expect(stale.action).toBe('network');
    if (stale.action !== 'network') return;
    expect(stale.conditional?.get('if-none-match')).toBe('"a"');
    expect(stale.conditional?.get('if-modified-since')).toBe(httpDate(T0 - 1000));
  });

  it('sends a stale response without validators unconditionally, keeping it for stale-if-error', () => {
    const stale = decideAt(61, { 'Cache-Control': 'max-age=60' });
    expect(stale).toMatchObject({ action: 'network', conditional: null });
    expect(stale.action === 'network' && stale.candidate !== null).toBe(true);
  });

  it('validates a no-cache response even while fresh', () => {
    expect(decideAt(1, { 'Cache-Control': 'max-age=60, no-cache', ETag: '"a"' })).toMatchObject({
      action: 'network',
      reason: 'response no-cache',
    });
  });

  it('honours request max-age, min-fresh, no-cache and Pragma only without Cache-Control', () => {
    const stored = { 'Cache-Control': 'max-age=100' };
    expect(decideAt(30, stored, { 'Cache-Control': 'max-age=20' }).action).toBe('network');
    expect(decideAt(30, stored, { 'Cache-Control': 'max-age=40' }).action).toBe('fresh');
    expect(decideAt(30, stored, { 'Cache-Control': 'min-fresh=80' }).action).toBe('network');
    expect(decideAt(30, stored, { 'Cache-Control': 'min-fresh=60' }).action).toBe('fresh');
    expect(decideAt(30, stored, { 'Cache-Control': 'no-cache' }).action).toBe('network');
    expect(decideAt(30, stored, { Pragma: 'no-cache' }).action).toBe('network');
    expect(decideAt(30, stored, { Pragma: 'no-cache', 'Cache-Control': 'max-age=40' }).action).toBe('fresh');
  });

  it('serves stale within max-stale, never for must-revalidate, proxy-revalidate or s-maxage in a shared cache', () => {
    const request = { 'Cache-Control': 'max-stale=30' };
    expect(decideAt(80, { 'Cache-Control': 'max-age=60' }, request)).toMatchObject({
      action: 'stale',
      reason: 'max-stale',
    });
    expect(decideAt(100, { 'Cache-Control': 'max-age=60' }, request).action).toBe('network');
    expect(decideAt(100, { 'Cache-Control': 'max-age=60' }, { 'Cache-Control': 'max-stale' }).action).toBe(
      'stale',
    );
    expect(decideAt(80, { 'Cache-Control': 'max-age=60, must-revalidate' }, request).action).toBe('network');
    expect(decideAt(80, { 'Cache-Control': 'max-age=60, proxy-revalidate' }, request).action).toBe('network');
    expect(
      decideAt(80, { 'Cache-Control': 'max-age=60, proxy-revalidate' }, request, { shared: false }).action,
    ).toBe('stale');
    expect(decideAt(80, { 'Cache-Control': 's-maxage=60' }, request).action).toBe('network');
  });

  it('serves stale-while-revalidate with a background revalidation, within its window only', () => {
    const stored = { 'Cache-Control': 'max-age=60, stale-while-revalidate=30' };
    expect(decideAt(70, stored)).toMatchObject({
      action: 'stale',
      reason: 'stale-while-revalidate',
      revalidate: true,
    });
    expect(decideAt(91, stored).action).toBe('network');
    expect(
      decideAt(70, { 'Cache-Control': 'max-age=60, stale-while-revalidate=30, must-revalidate' }).action,
    ).toBe('network');
  });

  it('only-if-cached: unsatisfiable whenever the network would be needed', () => {
    const only = { 'Cache-Control': 'only-if-cached' };
    expect(decideAt(0, null, only).action).toBe('unsatisfiable');
    expect(decideAt(61, { 'Cache-Control': 'max-age=60' }, only).action).toBe('unsatisfiable');
    expect(decideAt(30, { 'Cache-Control': 'max-age=60' }, only).action).toBe('fresh');
    expect(
      decideAt(61, { 'Cache-Control': 'max-age=60' }, { 'Cache-Control': 'only-if-cached, max-stale' })
        .action,
    ).toBe('stale');
    expect(decideAt(0, null, {}, { mode: 'only-if-cached' }).action).toBe('unsatisfiable');
  });

  it('immutable skips revalidation on a max-age=0 reload while fresh, not once stale', () => {
    const stored = { 'Cache-Control': 'max-age=60, immutable' };
    expect(decideAt(10, stored, { 'Cache-Control': 'max-age=0' }).action).toBe('fresh');
    expect(decideAt(61, stored, { 'Cache-Control': 'max-age=0' }).action).toBe('network');
  });

  it('modes: reload sends no validators, force-cache takes anything stored', () => {
    const stored = { 'Cache-Control': 'max-age=1', ETag: '"a"' };
    expect(decideAt(0, stored, {}, { mode: 'reload' })).toMatchObject({
      action: 'network',
      conditional: null,
      candidate: null,
    });
    expect(decideAt(1e6, stored, {}, { mode: 'force-cache' })).toMatchObject({
      action: 'stale',
      reason: 'force-cache',
    });
    expect(decideAt(0, stored, {}, { mode: 'no-cache' }).action).toBe('network');
  });
});

describe('stale-if-error (RFC 5861 §4)', () => {
  const stateAt = (secondsLater: number, headers: Record<string, string>) => {
    const decision = decideAt(secondsLater, headers);
    if (decision.action !== 'network' || decision.state === null)
      throw new Error('expected a stale candidate');
    return decision.state;
  };

  it('allows a stale answer within the response or request window', () => {
    const headers = { 'Cache-Control': 'max-age=60, stale-if-error=30' };
    expect(staleIfErrorAllows(stateAt(80, headers), new HeaderList(), true)).toBe(true);
    expect(staleIfErrorAllows(stateAt(100, headers), new HeaderList(), true)).toBe(false);
    const plain = { 'Cache-Control': 'max-age=60' };
    expect(staleIfErrorAllows(stateAt(80, plain), new HeaderList(), true)).toBe(false);
    expect(
      staleIfErrorAllows(stateAt(80, plain), new HeaderList({ 'Cache-Control': 'stale-if-error=60' }), true),
    ).toBe(true);
  });

  it('is forbidden by must-revalidate', () => {
    const headers = { 'Cache-Control': 'max-age=60, stale-if-error=30, must-revalidate' };
    expect(staleIfErrorAllows(stateAt(70, headers), new HeaderList(), true)).toBe(false);
  });
});

describe("a request's own directives (RFC 9111 §5.2.1, §5.4)", () => {
  it('reads Pragma: no-cache only without Cache-Control, and the same empty directives for requests with none', () => {
    const none = requestDirectives(new HeaderList());
    expect(none.pragmaNoCache).toBe(false);
    expect(none.directives.noCache).toBe(false);
    expect(none.directives.maxAge).toBeUndefined();
    expect(requestDirectives(new HeaderList({ Accept: '*/*' })).directives).toBe(none.directives);
    expect(requestDirectives(new HeaderList({ Pragma: 'x, no-cache' })).pragmaNoCache).toBe(true);
    expect(requestDirectives(new HeaderList({ Pragma: 'no-transform' })).pragmaNoCache).toBe(false);
    const both = requestDirectives(new HeaderList({ Pragma: 'no-cache', 'Cache-Control': 'max-age=5' }));
    expect(both.pragmaNoCache).toBe(false);
    expect(both.directives.maxAge).toBe(5);
    expect(Object.isFrozen(none.directives)).toBe(true);
  });
});

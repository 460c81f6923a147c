import { describe, expect, it } from 'vitest';
import type { ClientSession, OperationResult } from '../src/contender.js';
import { checkResult, runMicroTurn, runTurn, stat } from '../src/measure.js';
import { replaceBenchSection } from '../src/report.js';
import { rotation } from '../src/run-http-scenario.js';
import { cannedWorkload } from '../src/scenarios/canned-workload.js';

const limits = { durationMs: 5_000, maxOperations: 20, hangTimeoutMs: 200 };

function session(answer: (count: number) => Promise<OperationResult>): ClientSession & { peak: number } {
  let count = 0;
  let inFlight = 0;
  const state = {
    peak: 0,
    async request() {
      inFlight++;
      state.peak = Math.max(state.peak, inFlight);
      try {
        return await answer(++count);
      } finally {
        inFlight--;
      }
    },
    async close() {},
  };
  return state;
}

describe('runTurn', () => {
  const { operation, expected } = cannedWorkload('/json', 'json');

  it('keeps exactly the asked number of requests in flight and stops at the operation limit', async () => {
    const client = session(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return { status: 200, bodyBytes: -1, json: expected.json };
    });
    const sample = await runTurn(client, operation, expected, 4, limits, false);
    expect(client.peak).toBe(4);
    expect(sample).toMatchObject({ sent: 20, completed: 20, failed: 0 });
    expect(sample.error).toBeUndefined();
  });

  it('counts a wrong response as failed and stops, never as a success', async () => {
    const client = session(async (count) => ({
      status: 200,
      bodyBytes: -1,
      json: count === 3 ? { items: [] } : expected.json,
    }));
    const sample = await runTurn(client, operation, expected, 1, limits, false);
    expect(sample.completed).toBe(2);
    expect(sample.failed).toBe(1);
    expect(sample.error).toMatch(/JSON differs/);
  });

  it('reports a client that never answers as hung instead of waiting forever', async () => {
    const client = session(() => new Promise<OperationResult>(() => {}));
    const sample = await runTurn(client, operation, expected, 2, { ...limits, durationMs: 10 }, false);
    expect(sample.completed).toBe(0);
    expect(sample.failed).toBe(2);
    expect(sample.error).toMatch(/hung/);
  });

  it('records a rejected request with its error code', async () => {
    const client = session(async () => {
      throw Object.assign(new Error('boom'), { code: 'ECONNRESET' });
    });
    const sample = await runTurn(client, operation, expected, 1, limits, false);
    expect(sample.error).toBe('ECONNRESET: boom');
  });
});

describe('checkResult', () => {
  const { expected } = cannedWorkload('/small', 'bytes');
  it('checks status, body length and trailers', () => {
    const options = { ceiling: false, thorough: true };
    expect(checkResult({ status: 200, bodyBytes: 12 }, expected, options)).toBeNull();
    expect(checkResult({ status: 200, bodyBytes: 11 }, expected, options)).toMatch(/11 body bytes/);
    expect(checkResult({ status: 404, bodyBytes: 12 }, expected, options)).toMatch(/status 404/);
    const withTrailers = { ...expected, trailers: { 'x-checksum': 'ab' } };
    expect(checkResult({ status: 200, bodyBytes: 12, trailers: {} }, withTrailers, options)).toMatch(
      /x-checksum/,
    );
    expect(
      checkResult({ status: 200, bodyBytes: 12, trailers: { 'x-checksum': 'ab' } }, withTrailers, options),
    ).toBe(null);
  });
});

describe('runMicroTurn', () => {
  it('fails a computation whose check value is wrong', () => {
    let calls = 0;
    const sample = runMicroTurn(() => (++calls === 100 ? 6 : 7), 7, { ...limits, maxOperations: 1000 });
    expect(sample.error).toMatch(/expected 7/);
    expect(sample.completed).toBeLessThan(100);
  });
});

describe('statistics and order', () => {
  it('takes the median, min and max', () => {
    expect(stat([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5 });
    expect(stat([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
    expect(stat([])).toBeNull();
  });

  it('rotates who goes first each round', () => {
    expect(rotation(3, 0)).toEqual([0, 1, 2]);
    expect(rotation(3, 1)).toEqual([1, 2, 0]);
    expect(rotation(3, 5)).toEqual([2, 0, 1]);
  });
});

describe('root README section', () => {
  it('replaces only what is between the markers, and says when they are missing', () => {
    const readme = '# x\n\n<!-- bench:start -->\nold table\n<!-- bench:end -->\n\nafter\n';
    expect(replaceBenchSection(readme, 'new table\n')).toBe(
      '# x\n\n<!-- bench:start -->\nnew table\n<!-- bench:end -->\n\nafter\n',
    );
    expect(replaceBenchSection('# x\n', 'table')).toBeNull();
  });
});

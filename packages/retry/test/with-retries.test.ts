import {
  createManualClock,
  createMockTransport,
  createRequest,
  createResponse,
  HttpClientError,
  type HttpResponse,
  type ManualClock,
  type MockHandler,
  streamBody,
} from '@x/core';
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  RetryBudget,
  type RetryOptions,
  withRetries,
} from '../src/index.js';

/** Lets pending promise callbacks run, then moves the manual clock until the request settles. */
async function settle<T>(clock: ManualClock, promise: Promise<T>, stepMs = 1000, maxSteps = 200): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => undefined);
  for (let i = 0; i < maxSteps && !done; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(stepMs);
  }
  return tracked;
}

function setup(handler: MockHandler, options: RetryOptions = {}) {
  const clock = createManualClock();
  const base = createMockTransport(handler);
  const transport = withRetries(base, { clock, random: () => 0.5, ...options });
  return { clock, base, transport };
}

const dropped = () => new HttpClientError('CONNECTION_CLOSED', 'server closed', { requestSent: true });
const refused = () => new HttpClientError('CONNECT_FAILED', 'refused', { requestSent: false });

describe('withRetries', () => {
  it('retries an idempotent GET after a dropped connection, and records the attempts', async () => {
    const { clock, base, transport } = setup(({ bodyBytes: _ }, { index }) => {
      if (index < 3) throw dropped();
      return { body: 'finally' };
    });
    const response = await settle(clock, transport.request(createRequest({ url: 'http://h/' })));
    expect(await response.body.text()).toBe('finally');
    expect(base.requests).toHaveLength(3);
    expect(response.meta.retry?.attempts).toBe(3);
    expect(response.meta.retry?.retries.map((retry) => retry.reason)).toEqual([
      'CONNECTION_CLOSED',
      'CONNECTION_CLOSED',
    ]);
  });

  it('gives up after maxRetries and throws the last error', async () => {
    const { clock, base, transport } = setup(() => {
      throw dropped();
    });
    const error = await settle(clock, transport.request(createRequest({ url: 'http://h/' }))).catch((e) => e);
    expect(HttpClientError.is(error, 'CONNECTION_CLOSED')).toBe(true);
    expect(base.requests).toHaveLength(1 + DEFAULT_RETRY_POLICY.maxRetries);
  });

  it('never retries a POST that may have reached the server', async () => {
    const { clock, base, transport } = setup(() => {
      throw dropped();
    });
    const error = await settle(
      clock,
      transport.request(createRequest({ method: 'POST', url: 'http://h/', body: 'x' })),
    ).catch((e) => e);
    expect(HttpClientError.is(error, 'CONNECTION_CLOSED')).toBe(true);
    expect(base.requests).toHaveLength(1);
  });

  it('retries a POST when the error proves nothing was sent', async () => {
    const { clock, base, transport } = setup((_request, { index }) => {
      if (index === 1) throw refused();
      return { status: 201 };
    });
    const response = await settle(
      clock,
      transport.request(createRequest({ method: 'POST', url: 'http://h/', body: 'x' })),
    );
    expect(response.status).toBe(201);
    expect(base.requests).toHaveLength(2);
    expect(new TextDecoder().decode(base.requests[1]!.bodyBytes!)).toBe('x');
  });

  it('retries a POST carrying an Idempotency-Key', async () => {
    const { clock, base, transport } = setup((_request, { index }) =>
      index === 1 ? { status: 503 } : { status: 200 },
    );
    const request = createRequest({
      method: 'POST',
      url: 'http://h/',
      headers: { 'Idempotency-Key': 'k1' },
      body: 'x',
    });
    expect((await settle(clock, transport.request(request))).status).toBe(200);
    expect(base.requests).toHaveLength(2);
  });

  it('does not retry a request whose body cannot be replayed', async () => {
    const { clock, base, transport } = setup(() => ({ status: 503 }));
    const body = streamBody(
      (async function* () {
        yield 'once';
      })(),
    );
    const response = await settle(
      clock,
      transport.request(createRequest({ method: 'PUT', url: 'http://h/', body })),
    );
    expect(response.status).toBe(503);
    expect(base.requests).toHaveLength(1);
  });

  it('retries configured statuses, returns the last response when exhausted, and cancels discarded bodies', async () => {
    const answered: HttpResponse[] = [];
    const { clock, base, transport } = setup((request, { index }) => {
      const response = createResponse({ status: 502, url: request.url, body: [`attempt ${index}`, ' more'] });
      answered.push(response);
      return response;
    });
    const response = await settle(clock, transport.request(createRequest({ url: 'http://h/' })));
    expect(response.status).toBe(502);
    expect(base.requests).toHaveLength(3);
    expect(answered.slice(0, 2).map((discarded) => discarded.body.used)).toEqual([true, true]);
    expect(response.body.used).toBe(false);
    expect(await response.body.text()).toBe('attempt 3 more');
    expect(response.meta.retry?.attempts).toBe(3);
  });

  it('does not retry a final status like 404 or 501', async () => {
    for (const status of [404, 501]) {
      const { clock, base, transport } = setup(() => ({ status }));
      expect((await settle(clock, transport.request(createRequest({ url: 'http://h/' })))).status).toBe(
        status,
      );
      expect(base.requests).toHaveLength(1);
    }
  });

  it('waits as long as Retry-After says, in seconds or as a date', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1, 0, 0, 0));
    const base = createMockTransport((_request, { index }) => {
      if (index === 1) return { status: 503, headers: { 'Retry-After': '7' } };
      if (index === 2) return { status: 429, headers: { 'Retry-After': 'Thu, 01 Jan 2026 00:00:20 GMT' } };
      return { status: 200 };
    });
    const transport = withRetries(base, { clock, random: () => 0 });
    const response = await settle(clock, transport.request(createRequest({ url: 'http://h/' })), 500);
    expect(response.status).toBe(200);
    const delays = response.meta.retry?.retries.map((retry) => retry.delay);
    expect(delays?.[0]).toBe(7000);
    // The second delay is measured from when the 429 arrived (7 s in, plus the settle step granularity).
    expect(delays?.[1]).toBeGreaterThan(12_000);
    expect(delays?.[1]).toBeLessThanOrEqual(13_000);
  });

  it('returns the response instead of waiting beyond maxRetryAfter', async () => {
    const { clock, base, transport } = setup(() => ({ status: 503, headers: { 'Retry-After': '3600' } }));
    const response = await settle(clock, transport.request(createRequest({ url: 'http://h/' })));
    expect(response.status).toBe(503);
    expect(base.requests).toHaveLength(1);
  });

  it('backs off exponentially with full jitter under a cap', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelay: 100, maxDelay: 1000 };
    expect(backoffDelay(1, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(3, policy, () => 0.999)).toBe(399);
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('uses the injected clock for backoff: no retry before the delay elapses', async () => {
    const { clock, base, transport } = setup(
      (_request, { index }) => (index === 1 ? { status: 503 } : { status: 200 }),
      { baseDelay: 1000, random: () => 0.5 },
    );
    const pending = transport.request(createRequest({ url: 'http://h/' }));
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    clock.advance(499);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(base.requests).toHaveLength(1);
    clock.advance(1);
    expect((await pending).status).toBe(200);
    expect(base.requests).toHaveLength(2);
  });

  it('an abort while waiting to retry rejects with the signal reason at once', async () => {
    const { base, transport } = setup(() => ({ status: 503 }), { baseDelay: 60_000 });
    const controller = new AbortController();
    const pending = transport.request(createRequest({ url: 'http://h/', signal: controller.signal }));
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    controller.abort('gave up');
    const error = await pending.catch((e) => e);
    expect(HttpClientError.is(error, 'ABORTED')).toBe(true);
    expect(error.cause).toBe('gave up');
    expect(base.requests).toHaveLength(1);
  });

  it('per-request retry:false and overrides apply', async () => {
    const { clock, base, transport } = setup(() => ({ status: 503 }));
    await settle(clock, transport.request(createRequest({ url: 'http://h/', options: { retry: false } })));
    expect(base.requests).toHaveLength(1);
    await settle(
      clock,
      transport.request(createRequest({ url: 'http://h/', options: { retry: { maxRetries: 4 } } })),
    );
    expect(base.requests).toHaveLength(1 + 5);
  });

  it('never retries ABORTED, TLS or limit errors', async () => {
    for (const code of ['ABORTED', 'TLS_FAILED', 'LIMIT_EXCEEDED', 'PROTOCOL_ERROR'] as const) {
      const { clock, base, transport } = setup(() => {
        throw new HttpClientError(code, code, { requestSent: false });
      });
      const error = await settle(clock, transport.request(createRequest({ url: 'http://h/' }))).catch(
        (e) => e,
      );
      expect(error.code).toBe(code);
      expect(base.requests).toHaveLength(1);
    }
  });

  it('a spent retry budget stops retries so an outage is not multiplied', async () => {
    const { clock, base, transport } = setup(() => ({ status: 503 }), {
      budget: { ratio: 0.1, minRetries: 2, window: 10_000 },
      baseDelay: 1,
    });
    for (let i = 0; i < 5; i++)
      await settle(clock, transport.request(createRequest({ url: 'http://h/' })), 1);
    // 5 first attempts + at most max(2, floor(5 * 0.1)) = 2 retries in the window.
    expect(base.requests).toHaveLength(7);
  });

  it('the budget refills as the window moves on', () => {
    const clock = createManualClock();
    const budget = new RetryBudget(clock, { ratio: 0, minRetries: 1, window: 1000 });
    budget.recordRequest();
    expect(budget.tryAcquire()).toBe(true);
    expect(budget.tryAcquire()).toBe(false);
    clock.advance(1000);
    expect(budget.tryAcquire()).toBe(true);
  });
});

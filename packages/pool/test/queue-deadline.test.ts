import { createManualClock, createRequest, HttpClientError } from '@x/core';
import { httpServer, until } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { createPool } from '../src/index.js';
import { closedAfterEach } from './support/closed-after-each.js';

const { usePool, useServer } = closedAfterEach();

// The queue deadlines share one timer per origin (origin-pool.ts): each
// waiter must still fail at its own deadline, in any order of arrival.
describe('createPool: queue deadlines', () => {
  it('fails each queued request at its own deadline, a shorter one queued later first', async () => {
    const server = useServer(await httpServer(() => undefined));
    const clock = createManualClock();
    const pool = usePool(createPool({ connectionsPerOrigin: 1, queueTimeout: 1000, clock }));
    const hung = pool.request(createRequest({ url: server.origin })).catch((error: unknown) => error);
    const patient = pool.request(createRequest({ url: server.origin })).catch((error: unknown) => error);
    const hurried = pool
      .request(createRequest({ url: server.origin, options: { timeout: { queue: 200 } } }))
      .catch((error: unknown) => error);
    await until(() => pool.stats().busy === 1);
    expect(pool.stats().queued).toBe(2);

    clock.advance(200);
    const hurriedError = await hurried;
    expect(HttpClientError.is(hurriedError, 'TIMEOUT')).toBe(true);
    expect((hurriedError as HttpClientError).phase).toBe('queue');
    expect((hurriedError as HttpClientError).message).toContain('200 ms');
    expect(pool.stats().queued).toBe(1);

    clock.advance(799);
    expect(pool.stats().queued).toBe(1);
    clock.advance(1);
    const patientError = await patient;
    expect(HttpClientError.is(patientError, 'TIMEOUT')).toBe(true);
    expect((patientError as HttpClientError).requestSent).toBe(false);
    expect(pool.stats().queued).toBe(0);

    await pool.destroy();
    expect(HttpClientError.is(await hung, 'TRANSPORT_CLOSED')).toBe(true);
  });

  it('a request served before its deadline is not failed when the origin timer fires later', async () => {
    const server = useServer(await httpServer((_request, response) => response.end('ok')));
    const clock = createManualClock();
    const pool = usePool(createPool({ connectionsPerOrigin: 1, queueTimeout: 100, clock }));
    const responses = await Promise.all(
      [1, 2, 3].map(async () => (await pool.request(createRequest({ url: server.origin }))).body.text()),
    );
    expect(responses).toEqual(['ok', 'ok', 'ok']);
    clock.advance(1000);
    expect(pool.stats()).toMatchObject({ queued: 0, open: 1, idle: 1 });
    const again = await pool.request(createRequest({ url: server.origin }));
    expect(await again.body.text()).toBe('ok');
  });
});

import { createManualClock, HttpClientError } from '@x/core';
import { cleanupAfterEach, startForwardProxy, type TestProxy } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { proxyConnector } from '../src/index.js';

const cleanups = cleanupAfterEach();

async function stalledProxy(): Promise<TestProxy> {
  const proxy = await startForwardProxy({ hosts: {}, silentOnConnect: true });
  cleanups.push(() => proxy.close());
  return proxy;
}

async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(condition()).toBe(true);
}

const target = { scheme: 'https' as const, host: 'origin.test', port: 443, servername: 'origin.test' };

describe('a proxy that never answers CONNECT', () => {
  it('times out with phase "connect" on the injected clock and closes the proxy connection', async () => {
    const proxy = await stalledProxy();
    const clock = createManualClock();
    const connect = proxyConnector({ https: `http://127.0.0.1:${proxy.port}`, clock, connectTimeout: 5_000 });
    const attempt = connect(target, {}).catch((caught: unknown) => caught);
    await until(() => proxy.seen.length === 1);
    clock.advance(5_000);
    const error = await attempt;
    expect(HttpClientError.is(error, 'TIMEOUT')).toBe(true);
    expect((error as HttpClientError).phase).toBe('connect');
    expect((error as HttpClientError).requestSent).toBe(false);
    await until(() => proxy.openSockets() === 0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('aborts with the signal’s reason and closes the proxy connection', async () => {
    const proxy = await stalledProxy();
    const clock = createManualClock();
    const connect = proxyConnector({ https: `http://127.0.0.1:${proxy.port}`, clock });
    const controller = new AbortController();
    const attempt = connect(target, { signal: controller.signal }).catch((caught: unknown) => caught);
    await until(() => proxy.seen.length === 1);
    const reason = new Error('user cancelled');
    controller.abort(reason);
    const error = await attempt;
    expect(HttpClientError.is(error, 'ABORTED')).toBe(true);
    expect((error as HttpClientError).cause).toBe(reason);
    await until(() => proxy.openSockets() === 0);
    expect(clock.pendingTimers()).toBe(0);
  });
});

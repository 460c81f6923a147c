import { connect } from 'node:net';
import { createManualClock, HttpClientError } from '@x/core';
import { cleanupAfterEach, startSocks5Server, type TestSocksServer, until } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { openSocksTunnel, parseProxy, proxyConnector } from '../src/index.js';

const cleanups = cleanupAfterEach();

async function stalled(hangAfter: 'accept' | 'greeting'): Promise<TestSocksServer> {
  const server = await startSocks5Server({ hangAfter });
  cleanups.push(() => server.close());
  return server;
}

const target = { scheme: 'https' as const, host: 'origin.test', port: 443, servername: 'origin.test' };

describe('a SOCKS5 proxy that stops answering mid-handshake', () => {
  it.each(['accept', 'greeting'] as const)(
    'times out (phase connect) on the injected clock when it hangs after %s, and closes the connection',
    async (hangAfter) => {
      const socks = await stalled(hangAfter);
      const clock = createManualClock();
      const connector = proxyConnector({
        https: `socks5h://127.0.0.1:${socks.port}`,
        clock,
        connectTimeout: 5_000,
      });
      const attempt = connector(target, {}).catch((caught: unknown) => caught);
      await until(
        () => socks.connections() === 1 && (hangAfter === 'accept' || socks.seen[0]?.methods.length === 1),
      );
      clock.advance(5_000);
      const error = await attempt;
      expect(HttpClientError.is(error, 'TIMEOUT')).toBe(true);
      expect((error as HttpClientError).phase).toBe('connect');
      expect((error as HttpClientError).requestSent).toBe(false);
      await until(() => socks.openSockets() === 0);
      expect(clock.pendingTimers()).toBe(0);
    },
  );

  it('aborts with the signal’s reason and closes the connection', async () => {
    const socks = await stalled('greeting');
    const clock = createManualClock();
    const connector = proxyConnector({ http: `socks5h://127.0.0.1:${socks.port}`, clock });
    const controller = new AbortController();
    const attempt = connector(
      { scheme: 'http', host: 'origin.test', port: 80 },
      { signal: controller.signal },
    ).catch((caught: unknown) => caught);
    await until(() => socks.seen[0]?.methods.length === 1);
    const reason = new Error('user cancelled');
    controller.abort(reason);
    const error = await attempt;
    expect(HttpClientError.is(error, 'ABORTED')).toBe(true);
    expect((error as HttpClientError).cause).toBe(reason);
    await until(() => socks.openSockets() === 0);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('a socks5:// name lookup that never answers', () => {
  it('is cut by the connect deadline before any proxy connection', async () => {
    const socks = await stalled('accept');
    const clock = createManualClock();
    let lookups = 0;
    const connector = proxyConnector({
      http: `socks5://127.0.0.1:${socks.port}`,
      clock,
      connectTimeout: 2_000,
      socksLookup: () => {
        lookups++;
        return new Promise(() => undefined);
      },
    });
    const attempt = connector({ scheme: 'http', host: 'origin.test', port: 80 }, {}).catch(
      (caught: unknown) => caught,
    );
    await until(() => lookups === 1);
    clock.advance(2_000);
    const error = await attempt;
    expect(HttpClientError.is(error, 'TIMEOUT')).toBe(true);
    expect((error as HttpClientError).phase).toBe('connect');
    expect(socks.connections()).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('openSocksTunnel on its own', () => {
  it('applies its own timeout, naming the stage it stopped in', async () => {
    const socks = await stalled('greeting');
    const socket = connect({ host: '127.0.0.1', port: socks.port });
    await new Promise((resolve) => socket.once('connect', resolve));
    const clock = createManualClock();
    const proxy = parseProxy(`socks5h://127.0.0.1:${socks.port}`, 'https');
    const attempt = openSocksTunnel(socket, { type: 'domain', name: 'origin.test' }, 443, proxy, {
      clock,
      timeout: 1_000,
    }).catch((caught: unknown) => caught);
    await until(() => socks.seen[0]?.methods.length === 1);
    clock.advance(1_000);
    const error = (await attempt) as HttpClientError;
    expect(HttpClientError.is(error, 'TIMEOUT')).toBe(true);
    expect(error.details).toMatchObject({ stage: 'socks-method', target: 'origin.test:443' });
    expect(socket.destroyed).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('refuses an already aborted signal without writing anything', async () => {
    const socks = await stalled('accept');
    const socket = connect({ host: '127.0.0.1', port: socks.port });
    await new Promise((resolve) => socket.once('connect', resolve));
    const proxy = parseProxy(`socks5h://127.0.0.1:${socks.port}`, 'https');
    const error = await openSocksTunnel(socket, { type: 'ipv4', address: '127.0.0.1' }, 443, proxy, {
      signal: AbortSignal.abort(new Error('early')),
    }).catch((caught: unknown) => caught);
    expect(HttpClientError.is(error, 'ABORTED')).toBe(true);
    expect(socket.bytesWritten).toBe(0);
    expect(socket.destroyed).toBe(true);
  });

  it('destroys the socket when the destination cannot be encoded', async () => {
    const socks = await stalled('accept');
    const socket = connect({ host: '127.0.0.1', port: socks.port });
    await new Promise((resolve) => socket.once('connect', resolve));
    const proxy = parseProxy(`socks5h://127.0.0.1:${socks.port}`, 'https');
    const error = await openSocksTunnel(socket, { type: 'ipv4', address: '127.0.0.1' }, 0, proxy).catch(
      (caught: unknown) => caught,
    );
    expect(HttpClientError.is(error, 'INVALID_REQUEST')).toBe(true);
    expect(socket.destroyed).toBe(true);
  });
});

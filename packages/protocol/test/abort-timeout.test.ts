import { createManualClock, createRequest } from '@x/core';
import { failure } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { get, memoryConnectionsPerTest } from './support/memory.js';

const open = memoryConnectionsPerTest();

describe('abort', () => {
  it('rejects at once, unsent, when the signal already fired', async () => {
    const pipe = open();
    const controller = new AbortController();
    controller.abort(new Error('nope'));
    const error = await failure(
      pipe.connection.request(get('http://a.test/', { signal: controller.signal })),
    );
    expect(error).toMatchObject({ code: 'ABORTED', requestSent: false });
    expect((error.cause as Error).message).toBe('nope');
    expect(pipe.connection.idle).toBe(true);
  });

  it('removes a queued request without harming the connection', async () => {
    const pipe = open();
    const controller = new AbortController();
    const first = pipe.connection.request(get('http://a.test/1'));
    const second = pipe.connection.request(get('http://a.test/2', { signal: controller.signal }));
    controller.abort('changed my mind');
    const error = await failure(second);
    expect(error).toMatchObject({ code: 'ABORTED', requestSent: false, cause: 'changed my mind' });
    await pipe.until((text) => text.includes('/1 '));
    pipe.reply('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    await (await first).body.bytes();
    expect(pipe.connection.idle).toBe(true);
  });

  it('destroys the socket while waiting for the head', async () => {
    const pipe = open();
    const controller = new AbortController();
    const pending = pipe.connection.request(get('http://a.test/', { signal: controller.signal }));
    await pipe.until((text) => text.length > 0);
    controller.abort(new Error('stop'));
    const error = await failure(pending);
    expect(error).toMatchObject({ code: 'ABORTED', requestSent: true });
    expect(pipe.client.destroyed).toBe(true);
    expect((await pipe.connection.whenClosed()).error?.code).toBe('ABORTED');
  });

  it('fails the body and the trailers while streaming', async () => {
    const pipe = open();
    const controller = new AbortController();
    const pending = pipe.connection.request(get('http://a.test/', { signal: controller.signal }));
    await pipe.until((text) => text.length > 0);
    pipe.reply('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n');
    const response = await pending;
    const iterator = response.body[Symbol.asyncIterator]();
    expect(Buffer.from((await iterator.next()).value as Uint8Array).toString()).toBe('abc');
    controller.abort(new Error('enough'));
    const error = await failure(iterator.next());
    expect(error.code).toBe('ABORTED');
    await expect(response.trailers).rejects.toMatchObject({ code: 'ABORTED' });
    expect(pipe.client.destroyed).toBe(true);
  });

  it('keeps the connection when the exchange had completed', async () => {
    const pipe = open();
    const controller = new AbortController();
    const pending = pipe.connection.request(get('http://a.test/', { signal: controller.signal }));
    await pipe.until((text) => text.length > 0);
    pipe.reply('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    const response = await pending;
    expect(await response.body.text()).toBe('ok');
    controller.abort();
    expect(pipe.client.destroyed).toBe(false);
    expect(pipe.connection.idle).toBe(true);
  });

  it('closes the connection when the consumer cancels a body mid-way', async () => {
    const pipe = open();
    const pending = pipe.connection.request(get());
    await pipe.until((text) => text.length > 0);
    pipe.reply('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc');
    const response = await pending;
    for await (const chunk of response.body) {
      expect(chunk.byteLength).toBe(3);
      break;
    }
    const info = await pipe.connection.whenClosed();
    expect(info.error?.code).toBe('ABORTED');
    expect(pipe.client.destroyed).toBe(true);
  });
});

describe('per-phase timeouts', () => {
  it('headers: a deadline for the whole head, not reset by trickled bytes', async () => {
    const clock = createManualClock();
    const pipe = open({ clock, timeouts: { headers: 1000 } });
    const pending = pipe.connection.request(get());
    await pipe.until((text) => text.length > 0);
    await new Promise((resolve) => setImmediate(resolve));
    pipe.reply('HTTP/1.1 200 OK\r\n');
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(600);
    pipe.reply('X-A: 1\r\n');
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(400);
    const error = await failure(pending);
    expect(error).toMatchObject({ code: 'TIMEOUT', phase: 'headers', requestSent: true });
    expect(pipe.client.destroyed).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('body-idle: refreshed by each chunk, fires on silence', async () => {
    const clock = createManualClock();
    const pipe = open({ clock });
    const pending = pipe.connection.request(
      get('http://a.test/', { options: { timeout: { bodyIdle: 500 } } }),
    );
    await pipe.until((text) => text.length > 0);
    pipe.reply('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab');
    const response = await pending;
    const reading = response.body.text();
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(400);
    pipe.reply('cd');
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(400);
    expect(pipe.client.destroyed).toBe(false);
    clock.advance(100);
    const error = await failure(reading);
    expect(error).toMatchObject({ code: 'TIMEOUT', phase: 'body-idle' });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('total: covers the body too, counted from the context start', async () => {
    const clock = createManualClock();
    const pipe = open({ clock });
    clock.advance(100);
    const pending = pipe.connection.request(
      get('http://a.test/', { options: { timeout: { total: 1000 } } }),
      {
        startedAt: 0,
      },
    );
    await pipe.until((text) => text.length > 0);
    pipe.reply('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab');
    const response = await pending;
    const reading = response.body.text();
    clock.advance(899);
    await new Promise((resolve) => setImmediate(resolve));
    expect(pipe.client.destroyed).toBe(false);
    clock.advance(1);
    expect(await failure(reading)).toMatchObject({ code: 'TIMEOUT', phase: 'total' });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('leaves no timer behind after a clean exchange', async () => {
    const clock = createManualClock();
    const pipe = open({ clock, timeouts: { total: 5000 } });
    const pending = pipe.connection.request(
      createRequest({ method: 'POST', url: 'http://a.test/', body: 'x' }),
    );
    await pipe.until((text) => text.endsWith('x'));
    pipe.reply('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz');
    await (await pending).body.text();
    expect(clock.pendingTimers()).toBe(0);
  });
});

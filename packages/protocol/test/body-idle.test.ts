import { createManualClock, HttpClientError } from '@x/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Http1ConnectionOptions } from '../src/index.js';
import { get, memoryConnection } from './support/memory.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function open(options: Http1ConnectionOptions) {
  const pipe = memoryConnection(options);
  cleanups.push(() => pipe.connection.destroy());
  return pipe;
}

async function ticks(count: number): Promise<void> {
  for (let index = 0; index < count; index++) await new Promise((resolve) => setImmediate(resolve));
}

const CHUNK = 16 * 1024;
const CHUNKS = 64; // 1 MiB: far more than the pipe's buffers hold, so backpressure engages

describe('body-idle: a stalled server, not a slow consumer', () => {
  it('server stalls while the consumer waits: TIMEOUT (phase body-idle), nothing left behind', async () => {
    const clock = createManualClock();
    const pipe = open({ clock, timeouts: { bodyIdle: 500 } });
    const pending = pipe.connection.request(get());
    await pipe.until((text) => text.length > 0);
    pipe.reply('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab');
    const response = await pending;
    const iterator = response.body[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    const waiting = iterator.next();
    await ticks(2);
    clock.advance(499);
    expect(pipe.connection.closed).toBe(false);
    clock.advance(1);
    const error = await waiting.then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(HttpClientError.is(error, 'TIMEOUT')).toBe(true);
    expect((error as HttpClientError).phase).toBe('body-idle');
    expect(pipe.client.destroyed).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('consumer slow (much longer than bodyIdle per chunk) while the server keeps up: no timeout', async () => {
    const clock = createManualClock();
    const pipe = open({ clock, timeouts: { bodyIdle: 500 } });
    const pending = pipe.connection.request(get());
    await pipe.until((text) => text.length > 0);
    pipe.reply(`HTTP/1.1 200 OK\r\nContent-Length: ${CHUNK * CHUNKS}\r\n\r\n`);
    const chunk = Buffer.alloc(CHUNK, 0x61);
    for (let index = 0; index < CHUNKS; index++) pipe.server.write(chunk);
    const response = await pending;
    let received = 0;
    let reads = 0;
    for await (const part of response.body) {
      received += part.byteLength;
      reads++;
      // Each chunk takes the consumer four body-idle periods to process.
      clock.advance(2000);
      if (reads % 8 === 0) await ticks(1);
    }
    expect(received).toBe(CHUNK * CHUNKS);
    expect(pipe.connection.idle).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('consumer busy while the next chunk is already on its way (a blocked event loop): no timeout', async () => {
    const clock = createManualClock();
    const pipe = open({ clock, timeouts: { bodyIdle: 500 } });
    const pending = pipe.connection.request(get());
    await pipe.until((text) => text.length > 0);
    const parts = 8;
    pipe.reply(`HTTP/1.1 200 OK\r\nContent-Length: ${CHUNK * parts}\r\n\r\n`);
    const chunk = Buffer.alloc(CHUNK, 0x61);
    let written = 1;
    pipe.server.write(chunk);
    const response = await pending;
    let received = 0;
    for await (const part of response.body) {
      received += part.byteLength;
      // The consumer is busy for four body-idle periods, and only then are the server's next
      // bytes read: what a blocked event loop does while they wait in the kernel's buffer.
      clock.advance(2000);
      if (written < parts) {
        pipe.server.write(chunk);
        written++;
      }
    }
    expect(received).toBe(CHUNK * parts);
    expect(pipe.connection.idle).toBe(true);
  });

  it('a body nobody reads holds its connection, paused, until total fires', async () => {
    const clock = createManualClock();
    const pipe = open({ clock, timeouts: { bodyIdle: 500, total: 10_000 } });
    const pending = pipe.connection.request(get(), { startedAt: 0 });
    await pipe.until((text) => text.length > 0);
    pipe.reply(`HTTP/1.1 200 OK\r\nContent-Length: ${CHUNK * 4}\r\n\r\n`);
    pipe.reply(Buffer.alloc(CHUNK, 0x61));
    const response = await pending;
    await ticks(5);
    clock.advance(9_999);
    // Not the server's fault: no body-idle timeout, the connection waits for its reader.
    expect(pipe.connection.closed).toBe(false);
    expect(pipe.connection.idle).toBe(false);
    clock.advance(1);
    expect(pipe.connection.closed).toBe(true);
    const error = await response.body.bytes().then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toMatchObject({ code: 'TIMEOUT', phase: 'total' });
    expect(clock.pendingTimers()).toBe(0);
  });
});

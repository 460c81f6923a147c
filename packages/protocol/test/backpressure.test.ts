import { createRequest, streamBody } from '@x/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Http1Connection } from '../src/index.js';
import { get, memoryConnection } from './support/memory.js';

const opened: Http1Connection[] = [];
afterEach(() => {
  for (const connection of opened.splice(0)) connection.destroy();
});

const CHUNK = 64 * 1024;
const CHUNKS = 64; // 4 MiB in all

async function ticks(count: number): Promise<void> {
  for (let index = 0; index < count; index++) await new Promise((resolve) => setImmediate(resolve));
}

describe('backpressure', () => {
  it('a response nobody reads stops the server writing; reading lets it finish', async () => {
    const pipe = memoryConnection();
    opened.push(pipe.connection);
    const pending = pipe.connection.request(get());
    await pipe.until((text) => text.length > 0);
    pipe.reply(`HTTP/1.1 200 OK\r\nContent-Length: ${CHUNK * CHUNKS}\r\n\r\n`);
    let flushed = 0;
    const chunk = Buffer.alloc(CHUNK, 0x61);
    for (let index = 0; index < CHUNKS; index++) pipe.server.write(chunk, () => flushed++);
    const response = await pending;
    await ticks(20);
    // Only what fits in the stream buffers moved: far from the whole body.
    expect(flushed).toBeLessThan(CHUNKS / 4);
    let received = 0;
    let largest = 0;
    for await (const part of response.body) {
      received += part.byteLength;
      largest = Math.max(largest, part.byteLength);
    }
    expect(received).toBe(CHUNK * CHUNKS);
    expect(largest).toBeLessThanOrEqual(CHUNK);
    expect(flushed).toBe(CHUNKS);
    expect(pipe.connection.idle).toBe(true);
  });

  it('a large upload is pulled only as fast as the socket drains', async () => {
    const pipe = memoryConnection();
    opened.push(pipe.connection);
    pipe.server.pause();
    let yielded = 0;
    async function* upload() {
      const chunk = new Uint8Array(CHUNK);
      for (let index = 0; index < CHUNKS; index++) {
        yielded++;
        yield chunk;
      }
    }
    const pending = pipe.connection.request(
      createRequest({ method: 'PUT', url: 'http://a.test/', body: streamBody(upload(), CHUNK * CHUNKS) }),
    );
    await ticks(20);
    expect(yielded).toBeLessThan(CHUNKS / 4);
    let seen = 0;
    pipe.server.removeAllListeners('data');
    pipe.server.on('data', (data: Buffer) => {
      seen += data.length;
      if (seen >= CHUNK * CHUNKS) pipe.reply('HTTP/1.1 204 No Content\r\n\r\n');
    });
    pipe.server.resume();
    expect((await pending).status).toBe(204);
    expect(yielded).toBe(CHUNKS);
  });
});

import { describe, expect, it } from 'vitest';
import { parseCollected } from '../src/instructions/callgrind.js';
import { inMemoryConnector, SMALL_RESPONSE } from '../src/instructions/in-memory-origin.js';
import { perRequest, variantTable } from '../src/instructions/instructions-report.js';
import { runWorkload, sender, VARIANTS, type Variant } from '../src/instructions/workload.js';

const target = { scheme: 'http', host: '127.0.0.1', port: 9 } as const;

async function answersTo(writes: readonly string[]): Promise<number> {
  const socket = await inMemoryConnector(SMALL_RESPONSE)(target, {});
  let received = 0;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
  });
  for (const text of writes) socket.write(Buffer.from(text, 'latin1'));
  await new Promise((resolve) => setImmediate(resolve));
  socket.destroy();
  return received / SMALL_RESPONSE.length;
}

describe('inMemoryConnector', () => {
  it('answers each request head once, pipelined or split anywhere in its blank line', async () => {
    const head = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n';
    expect(await answersTo([head])).toBe(1);
    expect(await answersTo([head + head + head])).toBe(3);
    for (let split = 1; split < head.length; split++) {
      expect(await answersTo([head.slice(0, split), head.slice(split)])).toBe(1);
    }
    expect(await answersTo(['GET / HTTP/1.1\r\n', '\r', '\n', '\r', '\nGET'])).toBe(1);
    expect(await answersTo(['GET / HTTP/1.1\r\nHost: a\r\n'])).toBe(0);
  });
});

describe('workload', () => {
  it('every variant sends real requests through its stack and reads the 12-byte body', async () => {
    for (const variant of Object.keys(VARIANTS) as Variant[]) {
      const send = sender(variant);
      expect(await send()).toBe(12);
      expect(await send()).toBe(12);
    }
  });

  it('runs warm-up and measured requests and refuses an unknown variant', async () => {
    await expect(runWorkload(['x-pool', '3', '2'])).resolves.toBeUndefined();
    await expect(runWorkload(['undici', '1', '1'])).rejects.toThrow('unknown variant');
  });
});

describe('instruction arithmetic and report', () => {
  it('reads the count callgrind prints', () => {
    expect(parseCollected('==123== Events    : Ir\n==123== Collected : 5679211319\n==123==\n')).toBe(
      5_679_211_319,
    );
    expect(parseCollected('valgrind: failed to start tool')).toBeNull();
  });

  it('differences two runs, and refuses a longer run that counted less', () => {
    expect(perRequest(5_000_000, 9_000_000, 100)).toBe(40_000);
    expect(() => perRequest(9_000_000, 5_000_000, 100)).toThrow('not comparable');
    expect(() => perRequest(1, 2, 0)).toThrow();
  });

  it('puts each variant against x-pool and prices each layer', () => {
    const table = variantTable(
      [
        { variant: 'x-pool', perRequest: 40_000 },
        { variant: 'x-client', perRequest: 50_000 },
        { variant: 'x-client-no-retry', perRequest: 49_000 },
        { variant: 'x-client-no-decode', perRequest: 47_500 },
        { variant: 'x-pool-post', perRequest: 50_000 },
        { variant: 'x-client-post', perRequest: 65_000 },
      ],
      { requests: 20_000, warmUp: 30_000, date: new Date(0), node: 'v24' },
    );
    expect(table).toContain('| x-client | 50,000 | 1.25× |');
    expect(table).toContain('| x-pool | 40,000 | 1.00× |');
    // The POST pair is compared with the pool sending the same POST.
    expect(table).toContain('| x-client-post | 65,000 | 1.30× |');
    expect(table).toContain('retry 1,000, decode (with its Accept-Encoding field) 2,500.');
    expect(table).not.toContain('redirect 0');
  });
});

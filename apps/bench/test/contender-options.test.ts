import { once } from 'node:events';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contender, ScenarioTraits, SetupOptions } from '../src/contender.js';
import { loadContenders } from '../src/contenders.js';
import { cannedWorkload } from '../src/scenarios/canned-workload.js';
import { createCannedServer } from '../src/servers/canned-server.js';

// Fairness depends on every contender honouring the same setup options: a
// client that silently opened more connections, or kept one alive when told
// not to, would be measuring something else. The server counts connections.
const traits = (keepAlive: boolean): ScenarioTraits => ({
  pipelining: 1,
  keepAlive,
  read: 'bytes',
  cache: false,
  bulk: false,
});

let server: Server;
let origin: URL;
const sockets = new Set<Socket>();
let contenders: Contender[] = [];

beforeAll(async () => {
  server = createCannedServer();
  server.on('connection', (socket: Socket) => sockets.add(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  contenders = await loadContenders();
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  server.close();
  await once(server, 'close');
});

async function connectionsUsed(
  contender: Contender,
  options: SetupOptions,
  requests: number,
): Promise<number> {
  sockets.clear();
  const session = await contender.setup(options);
  try {
    const { operation, expected } = cannedWorkload('/small', 'bytes');
    for (let index = 0; index < requests; index++) {
      const result = await session.request(operation);
      expect(result.status).toBe(200);
      if (contender.ceiling !== true) expect(result.bodyBytes).toBe(expected.bodyBytes);
    }
  } finally {
    await session.close();
  }
  return sockets.size;
}

describe('every contender honours the setup options', () => {
  it('reuses its one keep-alive connection for sequential requests', async () => {
    const used: Record<string, number> = {};
    for (const contender of contenders.filter((candidate) => candidate.supports(traits(true)))) {
      used[contender.name] = await connectionsUsed(
        contender,
        { origin, connections: 1, pipelining: 1, keepAlive: true, cache: false },
        4,
      );
    }
    expect(Object.keys(used).length).toBeGreaterThan(5);
    expect(Object.entries(used).filter(([, count]) => count !== 1)).toEqual([]);
  });

  it('opens a new connection for every request when keep-alive is off', async () => {
    const used: Record<string, number> = {};
    for (const contender of contenders.filter((candidate) => candidate.supports(traits(false)))) {
      used[contender.name] = await connectionsUsed(
        contender,
        { origin, connections: 1, pipelining: 1, keepAlive: false, cache: false },
        3,
      );
    }
    expect(used['x-pool']).toBe(3);
    expect(Object.entries(used).filter(([, count]) => count !== 3)).toEqual([]);
  });

  it('never opens more connections than allowed when requests queue', async () => {
    const over: Record<string, number> = {};
    for (const contender of contenders.filter((candidate) => candidate.supports(traits(true)))) {
      sockets.clear();
      const session = await contender.setup({
        origin,
        connections: 3,
        pipelining: 1,
        keepAlive: true,
        cache: false,
      });
      try {
        const { operation } = cannedWorkload('/small', 'bytes');
        await Promise.all(Array.from({ length: 30 }, () => session.request(operation)));
      } finally {
        await session.close();
      }
      if (sockets.size > 3 || sockets.size === 0) over[contender.name] = sockets.size;
    }
    expect(over).toEqual({});
  });

  it('answers repeated requests from its cache when the scenario asks for one', async () => {
    const cacheTraits: ScenarioTraits = { ...traits(true), cache: true };
    let requests = 0;
    const count = (socket: Socket) =>
      socket.on('data', (chunk: Buffer) => {
        requests += chunk.toString('latin1').split('GET /cached ').length - 1;
      });
    server.on('connection', count);
    const reached: Record<string, number> = {};
    try {
      for (const contender of contenders.filter((candidate) => candidate.supports(cacheTraits))) {
        requests = 0;
        const session = await contender.setup({
          origin,
          connections: 1,
          pipelining: 1,
          keepAlive: true,
          cache: true,
        });
        try {
          const { operation } = cannedWorkload('/cached', 'bytes');
          for (let index = 0; index < 5; index++) await session.request(operation);
        } finally {
          await session.close();
        }
        reached[contender.name] = requests;
      }
    } finally {
      server.off('connection', count);
    }
    // The clients with a cache go to the server once; the no-cache baseline and the ceiling every time.
    expect(reached).toEqual({
      'raw-socket': 5,
      'undici-request': 5,
      'undici-cache': 1,
      'x-cache': 1,
      'x-client': 1,
    });
  });
});

import { type Connector, createRequest } from '@x/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttp1Transport } from '../src/index.js';
import { DEFAULT_CONNECTION_TIMEOUTS, phaseTimeout } from '../src/phase-timeouts.js';
import { type RawServer, rawServer } from './support/servers.js';

// SECURITY.md rule 4: nested option objects are read by own properties only.
// Each test pollutes Object.prototype and removes what it added in `finally`.
const polluted = Object.prototype as Record<string, unknown>;

describe('own properties only (SECURITY.md rule 4)', () => {
  let server: RawServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('keeps the head deadline when Object.prototype.headers is set', () => {
    const request = createRequest({ url: 'http://a.test/', options: { timeout: { total: 5_000 } } });
    polluted.headers = 1e12;
    polluted.bodyIdle = 1e12;
    try {
      expect(phaseTimeout(request, {}, 'headers')).toBe(DEFAULT_CONNECTION_TIMEOUTS.headers);
      expect(phaseTimeout(request, undefined, 'bodyIdle')).toBe(DEFAULT_CONNECTION_TIMEOUTS.bodyIdle);
      expect(phaseTimeout(request, { headers: 7 }, 'headers')).toBe(7);
      expect(phaseTimeout(request, {}, 'total')).toBe(5_000);
    } finally {
      delete polluted.headers;
      delete polluted.bodyIdle;
    }
  });

  it('never lets an inherited connector carry a request', async () => {
    server = await rawServer((socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
    });
    let hostileCalls = 0;
    const hostile: Connector = () => {
      hostileCalls++;
      return Promise.reject(new Error('hostile connector'));
    };
    polluted.connector = hostile;
    try {
      const transport = createHttp1Transport({});
      try {
        const response = await transport.request(createRequest({ url: `${server.url}/` }));
        expect(await response.body.text()).toBe('ok');
      } finally {
        await transport.close();
      }
    } finally {
      delete polluted.connector;
    }
    expect(hostileCalls).toBe(0);
    expect(server.accepted).toBe(1);
  });
});

import { type Connector, createRequest, DEFAULT_BUFFER_LIMIT, HttpClientError } from '@x/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttp1Transport, serializeRequestHead } from '../src/index.js';
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
  it('parses strictly when Object.prototype.allowBareLf or allowObsFold is set', async () => {
    // One answer per connection, in order: a bare-LF head, then an obs-fold line.
    const answers = [
      'HTTP/1.1 200 OK\nContent-Length: 2\n\nok',
      'HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 2\r\n\r\nok',
    ];
    server = await rawServer((socket) => socket.end(answers.shift() ?? ''));
    polluted.allowBareLf = true;
    polluted.allowObsFold = true;
    try {
      const transport = createHttp1Transport({});
      try {
        for (const rule of ['header-bare-lf', 'header-obs-fold']) {
          const error = await transport.request(createRequest({ url: `${server.url}/` })).then(
            () => null,
            (caught: unknown) => caught,
          );
          expect(HttpClientError.is(error, 'PROTOCOL_ERROR')).toBe(true);
          expect(error).toMatchObject({ rule });
        }
      } finally {
        await transport.close();
      }
    } finally {
      delete polluted.allowBareLf;
      delete polluted.allowObsFold;
    }
  });

  it('keeps the 64 MiB buffer cap when Object.prototype.bufferLimit is set', async () => {
    server = await rawServer((socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
    });
    polluted.bufferLimit = Number.POSITIVE_INFINITY;
    try {
      const transport = createHttp1Transport({});
      try {
        const response = await transport.request(createRequest({ url: `${server.url}/` }));
        expect(response.body.bufferLimit).toBe(DEFAULT_BUFFER_LIMIT);
        expect(await response.body.text()).toBe('ok');
      } finally {
        await transport.close();
      }
    } finally {
      delete polluted.bufferLimit;
    }
  });

  it('refuses an unasked 101 when Object.prototype.upgrade is set', async () => {
    server = await rawServer((socket) => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\n');
    });
    polluted.upgrade = true;
    try {
      const transport = createHttp1Transport({});
      try {
        const request = createRequest({
          url: `${server.url}/`,
          headers: { upgrade: 'x', connection: 'upgrade' },
          options: { http1: { expectContinueTimeout: 500 } },
        });
        const error = await transport.request(request).then(
          () => null,
          (caught: unknown) => caught,
        );
        expect(error).toMatchObject({ code: 'PROTOCOL_ERROR', rule: 'unexpected-upgrade' });
      } finally {
        await transport.close();
      }
    } finally {
      delete polluted.upgrade;
    }
  });

  it('frames and targets a request as if nothing were inherited from Object.prototype', () => {
    const request = createRequest({ url: 'http://a.test/p?q', options: { http1: {} } });
    polluted.trailers = { 'x-checksum': '1' };
    polluted.targetForm = 'absolute';
    try {
      const serialized = serializeRequestHead(request);
      expect(serialized.framing).toEqual({ kind: 'none' });
      expect(serialized.head.toString('latin1')).toBe('GET /p?q HTTP/1.1\r\nHost: a.test\r\n\r\n');
    } finally {
      delete polluted.trailers;
      delete polluted.targetForm;
    }
  });
});

import {
  type Connector,
  createMockTransport,
  HttpClientError,
  type HttpTransport,
  replayableBody,
} from '@x/core';
import { createPool } from '@x/pool';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildDefaultConnector, type Client, createClient } from '../src/index.js';
import { createTestCertificates, type TestCertificates } from './support/certs.js';
import { eventually, startServer, type TestServer } from './support/servers.js';

let certificates: TestCertificates;
beforeAll(async () => {
  certificates = await createTestCertificates();
});

const polluted = Object.prototype as Record<string, unknown>;

/** Runs `body` with keys added to Object.prototype, and always removes them. */
async function withPollutedPrototype<T>(keys: Record<string, unknown>, body: () => Promise<T>): Promise<T> {
  for (const [key, value] of Object.entries(keys)) polluted[key] = value;
  try {
    return await body();
  } finally {
    for (const key of Object.keys(keys)) delete polluted[key];
  }
}

async function failure(run: Promise<unknown>): Promise<HttpClientError> {
  try {
    await run;
  } catch (error) {
    if (HttpClientError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

let server: TestServer | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  if (server) {
    expect(await eventually(() => server?.openSockets() === 0)).toBe(true);
    await server.close();
  }
  server = undefined;
  client = undefined;
});

describe('rule 4: client options are read as own properties only', () => {
  it('an inherited transport, connector, proxy or cookies option changes nothing', async () => {
    server = await startServer((request, response) => {
      response
        .writeHead(200, { 'Set-Cookie': 'tracked=1' })
        .end(`seen ${request.headers.cookie ?? 'no cookie'}`);
    });
    const origin = server.origin;
    let hostileCalls = 0;
    const hostileTransport: HttpTransport = {
      request() {
        hostileCalls++;
        return Promise.reject(new Error('hostile transport'));
      },
      close: async () => undefined,
    };
    const hostileConnector: Connector = () => {
      hostileCalls++;
      return Promise.reject(new Error('hostile connector'));
    };
    const bodies = await withPollutedPrototype(
      {
        transport: hostileTransport,
        connector: hostileConnector,
        proxy: { http: 'http://127.0.0.1:9' },
        cookies: true,
      },
      async () => {
        client = createClient({ retry: false });
        const texts: string[] = [];
        for (let index = 0; index < 2; index++)
          texts.push(await (await client.get(`${origin}/`)).body.text());
        return texts;
      },
    );
    expect(hostileCalls).toBe(0);
    expect(bodies).toEqual(['seen no cookie', 'seen no cookie']);
  });

  it('an inherited cache option turns no cache on', async () => {
    server = await startServer((_request, response) => {
      response.writeHead(200, { 'Cache-Control': 'max-age=600' }).end('fresh');
    });
    const origin = server.origin;
    await withPollutedPrototype({ cache: {} }, async () => {
      client = createClient({ retry: false });
      for (let index = 0; index < 2; index++) {
        const response = await client.get(`${origin}/cacheable`);
        expect(await response.body.text()).toBe('fresh');
        // meta.cache itself would read the polluted prototype: ask for an own key.
        expect(Object.hasOwn(response.meta, 'cache')).toBe(false);
      }
    });
    expect(server.seen).toEqual(['GET /cacheable', 'GET /cacheable']);
  });

  it('an inherited tls option cannot switch verification off', async () => {
    server = await startServer((_request, response) => response.end('secret'), {
      key: certificates.keyPem,
      cert: certificates.certPem,
    });
    const origin = server.origin;
    const error = await withPollutedPrototype({ tls: { insecureSkipVerify: true } }, async () => {
      client = createClient({ retry: false });
      return failure(client.get(`${origin}/`));
    });
    expect(error.code).toBe('TLS_FAILED');
    expect(error.requestSent).toBe(false);
  });
});

describe('rule 1: a body content type is a field value too', () => {
  it('a CR/LF in a custom body contentType is INVALID_REQUEST and nothing is sent', async () => {
    const transport = createMockTransport(() => ({ status: 200 }));
    client = createClient({ transport, retry: false });
    const body = { ...replayableBody(async function* () {}, 0), contentType: 'text/plain\r\nX-Injected: 1' };
    const error = await failure(client.post('http://test.invalid/upload', { body }));
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.requestSent).toBe(false);
    expect(error.method).toBe('POST');
    expect(transport.requests).toHaveLength(0);
  });
});

describe('rule 15: one pool, two TLS policies', () => {
  it('never hands a connection verified under one policy to a request under another', async () => {
    server = await startServer((_request, response) => response.end('ok'), {
      key: certificates.keyPem,
      cert: certificates.certPem,
    });
    // Two policies that both trust the server, so only the pool key can keep them apart.
    const replace = buildDefaultConnector({ tls: { trust: { mode: 'replace', ca: certificates.caPem } } });
    const extend = buildDefaultConnector({ tls: { trust: { mode: 'extend', ca: certificates.caPem } } });
    let current = replace;
    const pool = createPool({
      connector: (target, options) => current.connector(target, options),
      connectorKey: (target) => current.connectorKey(target),
    });
    client = createClient({ transport: pool, retry: false });
    const send = async () => (await client?.get(`${server?.origin}/`))?.body.text();
    try {
      expect(await send()).toBe('ok');
      expect(await send()).toBe('ok');
      // Same policy: the connection is reused (the control).
      expect(server.connections()).toBe(1);
      current = extend;
      expect(await send()).toBe('ok');
      current = replace;
      expect(await send()).toBe('ok');
    } finally {
      current = replace;
    }
    expect(server.connections()).toBe(2);
  });
});

import { createMockTransport, type HttpRequest, type Layer } from '@x/core';
import { HeaderList } from '@x/headers';
import { describe, expect, it } from 'vitest';
import {
  type ClientRequestInit,
  type CreateClientOptions,
  createClient,
  presetAcceptEncoding,
} from '../src/index.js';

const ADVERTISED = 'zstd, br, gzip, deflate';

/** Every field line the mock transport (the base, under every layer) received, in order. */
async function wireFields(
  options: CreateClientOptions,
  init: ClientRequestInit,
): Promise<[string, string][]> {
  const transport = createMockTransport(() => ({}));
  const client = createClient({ retry: false, ...options, transport });
  try {
    await client.request(init);
    return [...(transport.requests[0]?.headers ?? [])];
  } finally {
    await client.close();
  }
}

const inits: ClientRequestInit[] = [
  { url: 'http://h.test/' },
  { url: 'http://h.test/', headers: {} },
  { url: 'http://h.test/', headers: { 'X-Gone': undefined } },
  { url: 'http://h.test/', headers: [] },
  { url: 'http://h.test/', headers: new HeaderList() },
  { method: 'DELETE', url: 'http://h.test/', body: null },
  { url: 'http://h.test/', headers: { 'X-A': '1' } },
  { url: 'http://h.test/', headers: new HeaderList([['accept-encoding', 'gzip']]) },
  { method: 'POST', url: 'http://h.test/', json: { a: 1 } },
  { method: 'POST', url: 'http://h.test/', body: 'text', headers: [['X-B', '2']] },
  { url: 'http://h.test/', options: { decode: false } },
  { url: 'http://h.test/', options: { decode: { maxRatio: 50 } } },
  {
    method: 'POST',
    url: 'http://h.test/',
    json: 1,
    options: { retry: { idempotencyKeyHeader: 'Accept-Encoding' } },
  },
];

describe('Accept-Encoding written by the client for the default stack', () => {
  it('puts the same fields on the wire, in the same order, as the decode layer alone would', async () => {
    for (const init of inits) {
      // An identity layers function keeps the stack but makes the client leave the field to the layer.
      const byLayer = await wireFields(
        { layers: (defaults) => defaults, headers: { 'X-Team': 'core' } },
        init,
      );
      const byClient = await wireFields({ headers: { 'X-Team': 'core' } }, init);
      expect(byClient).toEqual(byLayer);
    }
    expect(await wireFields({}, { url: 'http://h.test/' })).toEqual([
      ['User-Agent', expect.stringMatching(/^x-http\//)],
      ['Accept-Encoding', ADVERTISED],
    ]);
    expect(await wireFields({}, { url: 'http://h.test/', options: { decode: false } })).toEqual([
      ['User-Agent', expect.stringMatching(/^x-http\//)],
    ]);
    expect(await wireFields({ decode: { codings: ['gzip'] } }, { url: 'http://h.test/' })).toContainEqual([
      'Accept-Encoding',
      'gzip',
    ]);
  });

  it('is left to the decode layer whenever something could see the request between them', async () => {
    expect(presetAcceptEncoding({})).toBe(ADVERTISED);
    expect(presetAcceptEncoding({ decode: { codings: ['br', 'gzip'] } })).toBe('br, gzip');
    expect(presetAcceptEncoding({ decode: false })).toBeUndefined();
    expect(presetAcceptEncoding({ layers: [] })).toBeUndefined();
    expect(presetAcceptEncoding({ cache: {} })).toBeUndefined();
    expect(presetAcceptEncoding({ cookies: true })).toBeUndefined();
    expect(presetAcceptEncoding({ redirect: { onRedirect: () => undefined } })).toBeUndefined();
    expect(presetAcceptEncoding({ redirect: { maxRedirects: 3 } })).toBe(ADVERTISED);
    expect(presetAcceptEncoding({ retry: { idempotencyKeyHeader: 'Accept-Encoding' } })).toBeUndefined();
    expect(presetAcceptEncoding({ retry: { idempotencyKeyHeader: 'Idempotency-Key' } })).toBe(ADVERTISED);
    expect(presetAcceptEncoding({ decode: { codings: ['gzip\r\nX: 1' as 'gzip'] } })).toBeUndefined();

    // A layer added above the defaults sees the request as before: no Accept-Encoding yet.
    const seen: HttpRequest[] = [];
    const spy: Layer = (inner) => ({
      request: (request) => {
        seen.push(request);
        return inner.request(request);
      },
      close: () => inner.close(),
    });
    const fields = await wireFields({ layers: (defaults) => [...defaults, spy] }, { url: 'http://h.test/' });
    expect(seen[0]?.headers.has('accept-encoding')).toBe(false);
    expect(fields.at(-1)).toEqual(['Accept-Encoding', ADVERTISED]);
  });

  it('never lets the retry layer take our Accept-Encoding for an idempotency key', async () => {
    const transport = createMockTransport((_request, context) => ({
      status: context.index <= 2 ? 503 : 200,
    }));
    const client = createClient({ transport, retry: { maxRetries: 1, baseDelay: 1, maxDelay: 1 } });
    const keyedOnOurs = await client.post('http://h.test/', {
      json: 1,
      options: { retry: { idempotencyKeyHeader: 'Accept-Encoding' } },
    });
    expect(keyedOnOurs.status).toBe(503);
    expect(transport.requests).toHaveLength(1);
    // The same POST with a key the caller did send is retried: the check above could fail.
    const keyed = await client.post('http://h.test/', {
      json: 1,
      headers: { 'X-Idem': 'a' },
      options: { retry: { idempotencyKeyHeader: 'X-Idem' } },
    });
    expect(keyed.status).toBe(200);
    expect(transport.requests).toHaveLength(3);
    await client.close();
  });

  it('keeps exactly one Accept-Encoding, last, on every redirect hop', async () => {
    const transport = createMockTransport((request) =>
      request.url.pathname === '/start'
        ? { status: 303, headers: { Location: 'http://other.test/end' } }
        : { body: 'done' },
    );
    const client = createClient({ retry: false, transport });
    const response = await client.post('http://h.test/start', { json: { a: 1 } });
    expect(await response.body.text()).toBe('done');
    const [first, second] = transport.requests;
    expect(first?.headers.getAll('accept-encoding')).toEqual([ADVERTISED]);
    expect([...(second?.headers ?? [])]).toEqual([
      ['User-Agent', expect.stringMatching(/^x-http\//)],
      ['Accept', 'application/json'],
      ['Accept-Encoding', ADVERTISED],
    ]);
    await client.close();
  });
});

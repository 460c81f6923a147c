import { createMockTransport, type RequestBody } from '@x/core';
import { HeaderList } from '@x/headers';
import { describe, expect, it } from 'vitest';
import {
  buildClientRequest,
  type ClientRequestInit,
  type CreateClientOptions,
  createClient,
} from '../src/index.js';

/** The field lines the base transport received for one request, in order. */
async function sentFields(options: CreateClientOptions, init: ClientRequestInit): Promise<string[][]> {
  const transport = createMockTransport(() => ({}));
  const client = createClient({ retry: false, ...options, transport });
  try {
    await client.request(init);
    return [...(transport.requests[0]?.headers ?? [])];
  } finally {
    await client.close();
  }
}

const client: CreateClientOptions = {
  headers: [
    ['X-One', '1'],
    ['X-Two', '2'],
    ['X-Three', '3'],
  ],
  userAgent: null,
};

describe('a request with fields of its own', () => {
  it('drops each client field it names (any case, any position), keeps the others in order, then its own', async () => {
    const fields = await sentFields(client, {
      method: 'POST',
      url: 'http://h.test/',
      headers: { 'x-two': 'mine', 'X-New': 'n', 'X-THREE': 'also' },
      body: new Uint8Array([1]),
    });
    expect(fields).toEqual([
      ['X-One', '1'],
      ['x-two', 'mine'],
      ['X-New', 'n'],
      ['X-THREE', 'also'],
      ['Accept-Encoding', 'zstd, br, gzip, deflate'],
    ]);
  });

  it('adds Content-Type, Accept and Accept-Encoding last only where neither side has them', async () => {
    const json = await sentFields(client, {
      method: 'POST',
      url: 'http://h.test/',
      json: 1,
      headers: { 'X-A': 'a' },
    });
    expect(json.slice(3)).toEqual([
      ['X-A', 'a'],
      ['Content-Type', 'application/json'],
      ['Accept', 'application/json'],
      ['Accept-Encoding', 'zstd, br, gzip, deflate'],
    ]);
    const clientHas = await sentFields(
      { headers: { Accept: 'text/plain', 'Content-Type': 'text/x' }, userAgent: null },
      { method: 'POST', url: 'http://h.test/', json: 1, headers: new HeaderList([['X-A', 'a']]) },
    );
    expect(clientHas).toEqual([
      ['Accept', 'text/plain'],
      ['Content-Type', 'text/x'],
      ['X-A', 'a'],
      ['Accept-Encoding', 'zstd, br, gzip, deflate'],
    ]);
  });

  it('refuses a body whose contentType is not a valid field value, with nothing sent', async () => {
    const transport = createMockTransport(() => ({}));
    const made = createClient({ transport });
    const body: RequestBody = {
      length: 0,
      replayable: true,
      contentType: 'text/plain\r\nX-Injected: 1',
      open: async function* () {},
    };
    try {
      await expect(
        made.request({ method: 'POST', url: 'http://h.test/', headers: { 'X-A': 'a' }, body }),
      ).rejects.toMatchObject({ code: 'INVALID_REQUEST', requestSent: false });
      expect(transport.requests).toHaveLength(0);
    } finally {
      await made.close();
    }
  });

  it('leaves the given HeaderList and the client fields of later requests unchanged', async () => {
    const transport = createMockTransport(() => ({}));
    const made = createClient({ ...client, retry: false, transport });
    const given = new HeaderList([['X-Two', 'mine']]);
    try {
      await made.request({ method: 'POST', url: 'http://h.test/', headers: given, body: 'x' });
      await made.request({ url: 'http://h.test/' });
    } finally {
      await made.close();
    }
    expect([...given]).toEqual([['X-Two', 'mine']]);
    expect([...(transport.requests[1]?.headers ?? [])]).toEqual([
      ['X-One', '1'],
      ['X-Two', '2'],
      ['X-Three', '3'],
      ['Accept-Encoding', 'zstd, br, gzip, deflate'],
    ]);
  });

  it('merges the same way through buildClientRequest given defaults without the per-client precomputed parts', () => {
    const request = buildClientRequest(
      { method: 'POST', url: 'http://h.test/', headers: { 'X-TWO': 'mine' }, body: 'text' },
      {
        baseUrl: undefined,
        allowAbsoluteUrls: false,
        headers: new HeaderList([
          ['X-One', '1'],
          ['X-Two', '2'],
        ]),
        timeout: {},
        acceptEncoding: 'gzip',
      },
    );
    expect([...request.headers]).toEqual([
      ['X-One', '1'],
      ['X-TWO', 'mine'],
      ['Content-Type', 'text/plain;charset=UTF-8'],
      ['Accept-Encoding', 'gzip'],
    ]);
  });
});

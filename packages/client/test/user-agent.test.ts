import { readFileSync } from 'node:fs';
import { createMockTransport, HttpClientError } from '@x/core';
import { describe, expect, it } from 'vitest';
import { type CreateClientOptions, createClient, DEFAULT_USER_AGENT } from '../src/index.js';

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The User-Agent values the transport received for one request. */
async function userAgentSent(
  options: CreateClientOptions,
  headers?: Record<string, string>,
): Promise<string[]> {
  const transport = createMockTransport(() => ({ status: 204 }));
  const client = createClient({ ...options, transport, retry: false });
  try {
    await client.get('http://test.invalid/', headers ? { headers } : {});
  } finally {
    await client.close();
  }
  return transport.requests[0]?.headers.getAll('user-agent') ?? [];
}

describe('User-Agent', () => {
  it('is x-http/<package version> by default', async () => {
    expect(DEFAULT_USER_AGENT).toBe(`x-http/${version}`);
    expect(await userAgentSent({})).toEqual([`x-http/${version}`]);
  });

  it('is replaced by the userAgent option, the client headers or the request headers, and never doubled', async () => {
    expect(await userAgentSent({ userAgent: 'app/2.0' })).toEqual(['app/2.0']);
    expect(await userAgentSent({ headers: { 'user-agent': 'from-headers/1' } })).toEqual(['from-headers/1']);
    expect(await userAgentSent({ userAgent: 'app/2.0' }, { 'User-Agent': 'per-request/3' })).toEqual([
      'per-request/3',
    ]);
  });

  it('is left out with userAgent: null', async () => {
    expect(await userAgentSent({ userAgent: null })).toEqual([]);
  });

  it('refuses a value with CR or LF when the client is built (SECURITY.md rule 1)', () => {
    const build = () =>
      createClient({ userAgent: 'app\r\nX-Injected: 1', transport: createMockTransport(() => ({})) });
    expect(build).toThrow(HttpClientError);
    try {
      build();
    } catch (error) {
      expect(HttpClientError.is(error, 'INVALID_REQUEST')).toBe(true);
    }
  });
});

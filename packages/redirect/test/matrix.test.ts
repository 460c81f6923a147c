import {
  bytesBody,
  createMockTransport,
  createRequest,
  HttpClientError,
  type RequestBody,
  replayableBody,
  streamBody,
} from '@x/core';
import { describe, expect, it } from 'vitest';
import { type RedirectSettings, withRedirects } from '../src/index.js';
import { decoder } from './helpers.js';

/**
 * Every redirect status × method × body kind, end to end through the layer,
 * checked against the rules as RFC 9110 §15.4 and the Fetch standard state
 * them (written out again here, not taken from the code under test).
 */
const STATUSES = [301, 302, 303, 307, 308] as const;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
const PAYLOAD = 'hello world';

interface BodyKind {
  readonly name: string;
  readonly make: () => RequestBody | null;
  readonly settings?: RedirectSettings;
  /** Can the layer resend it when a redirect keeps the body? */
  readonly resendable: boolean;
}

async function* chunks(): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode('hello ');
  yield new TextEncoder().encode('world');
}

const KINDS: readonly BodyKind[] = [
  { name: 'no body', make: () => null, resendable: true },
  { name: 'bytes', make: () => bytesBody(new TextEncoder().encode(PAYLOAD), 'text/plain'), resendable: true },
  {
    name: 'replayable stream',
    make: () =>
      replayableBody(
        async function* () {
          yield* chunks();
        },
        null,
        'text/plain',
      ),
    resendable: true,
  },
  { name: 'one-shot stream', make: () => streamBody(chunks(), null, 'text/plain'), resendable: false },
  {
    name: 'one-shot stream within bufferBody',
    make: () => streamBody(chunks(), null, 'text/plain'),
    settings: { bufferBody: 64 },
    resendable: true,
  },
  {
    name: 'one-shot stream over bufferBody',
    make: () => streamBody(chunks(), null, 'text/plain'),
    settings: { bufferBody: 8 },
    resendable: false,
  },
];

function expected(status: number, method: string): { method: string; keepsBody: boolean } {
  if (status === 303) return { method: method === 'HEAD' ? 'HEAD' : 'GET', keepsBody: false };
  if ((status === 301 || status === 302) && method === 'POST') return { method: 'GET', keepsBody: false };
  return { method, keepsBody: true };
}

describe.each(STATUSES)('status %i', (status) => {
  describe.each(METHODS)('%s', (method) => {
    it.each(KINDS)('with $name', async (kind) => {
      const inner = createMockTransport((request) =>
        request.url.pathname === '/from'
          ? { status, headers: { Location: '/to' }, body: 'moved' }
          : { status: 200, body: 'arrived' },
      );
      const body = kind.make();
      const headers: Record<string, string> =
        body === null
          ? { Accept: '*/*' }
          : { Accept: '*/*', 'Content-Type': 'text/plain', 'Content-Language': 'en' };
      const request = createRequest({
        method,
        url: 'http://a.test/from',
        headers,
        body,
        options: { redirect: kind.settings },
      });
      const rule = expected(status, method);
      const transport = withRedirects(inner);

      if (body !== null && rule.keepsBody && !kind.resendable) {
        const error = await transport.request(request).then(
          () => undefined,
          (failure: unknown) => failure,
        );
        expect(HttpClientError.is(error, 'REDIRECT_BODY_NOT_REPLAYABLE')).toBe(true);
        expect(inner.requests).toHaveLength(1);
        return;
      }

      const response = await transport.request(request);
      expect(response.status).toBe(200);
      expect(response.meta.redirects).toEqual([{ url: 'http://a.test/from', status, method }]);
      const [first, second] = inner.requests;
      expect(first?.bodyBytes === null ? null : decoder.decode(first?.bodyBytes)).toBe(
        body === null ? null : PAYLOAD,
      );
      expect(second?.method).toBe(rule.method);
      expect(second?.url.href).toBe('http://a.test/to');
      expect(second?.headers.get('accept')).toBe('*/*');
      if (body !== null && rule.keepsBody) {
        expect(decoder.decode(second?.bodyBytes ?? undefined)).toBe(PAYLOAD);
        expect(second?.headers.get('content-type')).toBe('text/plain');
        expect(second?.headers.get('content-language')).toBe('en');
      } else {
        // Never a silent empty body: the body is gone, and so are the fields describing it.
        expect(second?.body).toBeNull();
        expect(second?.headers.has('content-type')).toBe(false);
        expect(second?.headers.has('content-language')).toBe(false);
      }
    });
  });
});

describe('preserveMethod', () => {
  it.each([301, 302])('keeps POST and its body on %i', async (status) => {
    const inner = createMockTransport((request) =>
      request.url.pathname === '/from' ? { status, headers: { Location: '/to' } } : { status: 200 },
    );
    await withRedirects(inner, { preserveMethod: true }).request(
      createRequest({ method: 'POST', url: 'http://a.test/from', body: PAYLOAD }),
    );
    expect(inner.requests[1]?.method).toBe('POST');
    expect(decoder.decode(inner.requests[1]?.bodyBytes ?? undefined)).toBe(PAYLOAD);
  });

  it('does not keep POST on 303', async () => {
    const inner = createMockTransport((request) =>
      request.url.pathname === '/from' ? { status: 303, headers: { Location: '/to' } } : { status: 200 },
    );
    await withRedirects(inner, { preserveMethod: true }).request(
      createRequest({ method: 'POST', url: 'http://a.test/from', body: PAYLOAD }),
    );
    expect(inner.requests[1]?.method).toBe('GET');
    expect(inner.requests[1]?.body).toBeNull();
  });
});

import {
  createManualClock,
  createMockTransport,
  createRequest,
  type HttpResponse,
  type ManualClock,
  type MockReply,
  type MockTransport,
  type RecordedRequest,
  type RequestInit,
} from '@x/core';
import { formatHttpDate } from '@x/headers';
import { afterEach } from 'vitest';
import type { CacheStore } from '../../src/index.js';
import { type CacheOptions, type CacheTransport, createMemoryStore, withCache } from '../../src/index.js';

export const URL_A = 'http://127.0.0.1:8080/a';

export interface Harness {
  clock: ManualClock;
  origin: MockTransport;
  store: CacheStore;
  transport: CacheTransport;
  /** Sends a request through the cache and reads the body as text. */
  fetch(init?: Partial<RequestInit>): Promise<{ response: HttpResponse; text: string }>;
  /** What reached the origin: method, and the conditional headers it carried. */
  seen(): { method: string; ifNoneMatch: string | null; ifModifiedSince: string | null }[];
}

/**
 * A cache in front of a scripted origin, on a manual clock. `reply` answers
 * the n-th request the origin receives (1-based); a Date header with the
 * clock's time is added unless the reply sets one.
 */
export function harness(
  reply: (request: RecordedRequest, index: number, clock: ManualClock) => MockReply,
  options: Partial<CacheOptions> = {},
): Harness {
  const clock = createManualClock();
  const origin = createMockTransport(
    (request, context) => {
      const answer = reply(request, context.index, clock);
      const headers = new Map<string, string>(
        Object.entries((answer.headers ?? {}) as Record<string, string>),
      );
      if (![...headers.keys()].some((name) => name.toLowerCase() === 'date'))
        headers.set('Date', httpDate(clock.now()));
      return { ...answer, headers: [...headers] };
    },
    { clock },
  );
  const store = options.store ?? createMemoryStore({ clock });
  const transport = withCache(origin, { clock, ...options, store });
  return {
    clock,
    origin,
    store,
    transport,
    async fetch(init = {}) {
      const response = await transport.request(createRequest({ url: URL_A, ...init }));
      return { response, text: await response.body.text() };
    },
    seen() {
      return origin.requests.map((request) => ({
        method: request.method,
        ifNoneMatch: request.headers.get('if-none-match'),
        ifModifiedSince: request.headers.get('if-modified-since'),
      }));
    },
  };
}

export function httpDate(time: number): string {
  return formatHttpDate(time);
}

/** A `harness` factory whose harnesses are all closed after each test. */
export function harnessPerTest(): (...args: Parameters<typeof harness>) => Harness {
  const opened: Harness[] = [];
  afterEach(async () => {
    for (const each of opened.splice(0)) await each.transport.close();
  });
  return (...args) => {
    const created = harness(...args);
    opened.push(created);
    return created;
  };
}

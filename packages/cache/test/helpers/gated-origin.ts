import {
  createManualClock,
  createMockTransport,
  HttpClientError,
  type ManualClock,
  type MockReply,
  type MockTransport,
  type RecordedRequest,
} from '@x/core';
import { formatHttpDate } from '@x/headers';

/** A promise with its resolve and reject exposed. */
export interface Gate<T = void> {
  readonly promise: Promise<T>;
  open(value: T): void;
  fail(error: unknown): void;
}

export function gate<T = void>(): Gate<T> {
  let open!: (value: T) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  promise.catch(() => undefined);
  return { promise, open, fail };
}

/**
 * A controllable origin: every request waits at `head` until the test
 * opens it, so concurrent requests really are concurrent; the reply is the
 * test's. The Date header is the clock's unless the reply sets one.
 */
export interface GatedOrigin {
  readonly clock: ManualClock;
  readonly origin: MockTransport;
  readonly head: Gate;
  /** Resolves once the origin has received `count` requests. */
  received(count: number): Promise<void>;
}

export function gatedOrigin(reply: (request: RecordedRequest, index: number) => MockReply): GatedOrigin {
  const clock = createManualClock();
  const head = gate();
  const waiters: { count: number; resolve: () => void }[] = [];
  let seen = 0;
  const origin = createMockTransport(
    async (request, context) => {
      seen = context.index;
      for (const waiter of waiters.filter((each) => each.count <= seen)) waiter.resolve();
      await Promise.race([
        head.promise,
        new Promise<never>((_resolve, reject) => {
          const fail = () =>
            reject(
              new HttpClientError('ABORTED', 'origin request aborted', { cause: request.signal?.reason }),
            );
          if (request.signal?.aborted) fail();
          request.signal?.addEventListener('abort', fail, { once: true });
        }),
      ]);
      const answer = reply(request, context.index);
      const headers = { Date: formatHttpDate(clock.now()), ...(answer.headers as Record<string, string>) };
      return { ...answer, headers };
    },
    { clock },
  );
  return {
    clock,
    origin,
    head,
    received(count) {
      if (seen >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
  };
}

/** Lets every queued promise callback run (requests reaching the layer's wait point; no I/O involved). */
export async function settle(rounds = 3): Promise<void> {
  for (let round = 0; round < rounds; round++) await new Promise((resolve) => setImmediate(resolve));
}

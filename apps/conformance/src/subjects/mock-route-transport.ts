import { createMockTransport, HttpClientError, type MockReply, type MockTransport } from '@x/core';
import { type BodyStep, type RouteState, routeRequest } from '../servers/routes.js';

/** Longest timer Node accepts (2^31 - 1 ms): "never", yet abortable through the mock's delay. */
const NEVER = 2 ** 31 - 1;

/**
 * `createMockTransport` from @x/core answering with the suite's own routes,
 * in memory: the same plans the socket servers write, so the "mock" column
 * runs the same cases without a socket. Socket-only behaviour (interim
 * responses, resets, framing) is out of its reach and not claimed.
 */
export function createMockRouteTransport(state: RouteState): MockTransport {
  return createMockTransport((request) => {
    const headers: Array<[string, string]> = [...request.headers];
    const plan = routeRequest(
      {
        method: request.method,
        target: `${request.url.pathname}${request.url.search}`,
        headers,
        body: request.bodyBytes ?? new Uint8Array(0),
        chunked: false,
        connectionId: 0,
      },
      state,
    );
    const reply: MockReply = {
      status: plan.status,
      reason: plan.reason,
      headers: plan.headers.map(([name, value]) => [name, value] as [string, string]),
      body: plan.status === 204 || plan.status === 304 ? null : bodyOf(plan.body),
      trailers: plan.trailers.map(([name, value]) => [name, value] as [string, string]),
    };
    if (plan.hangBeforeHead) reply.delay = NEVER;
    return reply;
  });
}

async function* bodyOf(steps: Iterable<BodyStep>): AsyncGenerator<Uint8Array> {
  for (const step of steps) {
    switch (step.kind) {
      case 'bytes':
        yield step.bytes;
        break;
      case 'pause':
        await new Promise<void>((resolve) => setTimeout(resolve, step.ms));
        break;
      case 'hang':
        // A stalled body: only cancelling the body (abort) may end it.
        await new Promise<never>(() => undefined);
        break;
      case 'destroy':
        throw new HttpClientError('CONNECTION_CLOSED', 'The mock route closed mid-body', {
          requestSent: true,
        });
    }
  }
}

import type { Timer } from '@x/core';
import { drainBudget, drainFailedError } from './body-drain.js';
import { cancelledError } from './build-response.js';
import type { ConnectionCore } from './connection-core.js';
import type { Exchange } from './exchange.js';
import type { ResponseHead, ResponseParser } from './response-parser.js';

/**
 * Acting on a cancel in the middle of a body (the decisions are in
 * body-drain.ts). Returns false when the body must not be drained, and the
 * caller closes the connection as before. Otherwise the caller's view is
 * made final at once (trailers reject with the ABORTED cancel error; the
 * body already did), the exchange's own deadlines and abort signal give way
 * to the drain's timeout, and the socket resumes so the rest flows in. The
 * exchange stays in flight, so the connection is not idle until the parser
 * completes it.
 */
export function startDrain(
  core: ConnectionCore,
  exchange: Exchange,
  parser: ResponseParser,
  reason: unknown,
): boolean {
  const settings = core.drainOnCancel;
  if (settings === null || core.parsing !== exchange || !worthKeeping(core, exchange)) return false;
  const budget = drainBudget((exchange.head as ResponseHead).framing, parser.bodyBytes, settings);
  if (budget === null) return false;
  exchange.idleTimer?.cancel();
  exchange.idleTimer = null;
  exchange.totalTimer?.cancel();
  exchange.totalTimer = null;
  exchange.detachSignal?.();
  exchange.detachSignal = null;
  exchange.rejectTrailers(cancelledError(exchange.request, reason));
  const draining = { startedAt: parser.bytesReceived, budget, reason, timer: null as Timer | null };
  exchange.draining = draining;
  draining.timer = core.clock.setTimer(() => {
    const drained = drainedBytes(exchange, parser);
    core.shutdown(drainFailedError(exchange.request, reason, 'timeout', drained), exchange);
  }, settings.timeout);
  if (core.paused) {
    core.paused = false;
    core.socket.resume();
  }
  return true;
}

/** Wire bytes read since the drain began (0 when not draining). */
export function drainedBytes(exchange: Exchange, parser: ResponseParser): number {
  return exchange.draining === null ? 0 : parser.bytesReceived - exchange.draining.startedAt;
}

/**
 * Ends the connection when a drain read past its budget; true if it did.
 * Checked after every parse, even one that also completed the response:
 * one rule whatever the socket's read sizes.
 */
export function stopDrainOverLimit(
  core: ConnectionCore,
  exchange: Exchange,
  parser: ResponseParser,
): boolean {
  const draining = exchange.draining;
  if (draining === null) return false;
  const drained = drainedBytes(exchange, parser);
  if (drained <= draining.budget) return false;
  core.shutdown(drainFailedError(exchange.request, draining.reason, 'limit', drained), exchange);
  return true;
}

/** Would the connection carry another exchange once this response ends? Else draining is wasted. */
function worthKeeping(core: ConnectionCore, exchange: Exchange): boolean {
  const head = exchange.head as ResponseHead;
  if (!core.keepAlive || core.state === 'closed' || !head.framing.keepAlive) return false;
  if (exchange.serialized.closeRequested || exchange.bodyIncomplete || !exchange.writeFinished) return false;
  const last = core.exchanges.length === 1;
  return !(last && (core.state === 'closing' || core.requestCount >= core.maxRequests));
}

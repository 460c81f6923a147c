import { HttpClientError, toHttpClientError } from '@x/core';
import type { ConnectionCore } from './connection-core.js';
import { type Exchange, waitForContinue } from './exchange.js';
import { phaseTimeout } from './phase-timeouts.js';
import { http1Option } from './request-options.js';
import { type WriteOutcome, writeRequest } from './request-writer.js';

/** Head plus body up to this size is copied into one buffer and written at once (the socket's default high-water mark). */
const WRITE_AT_ONCE_LIMIT = 16 * 1024;

/** What the write side needs from the read side. */
export interface ParsingControl {
  /** Points the parser at the exchange whose response comes next. */
  beginParsing(exchange: Exchange): void;
}

/**
 * The write side of a connection: decides when the next queued request may
 * go out (pipelining rules) and writes it, turning a failed write into
 * either a quiet refusal (nothing reached the socket) or the end of the
 * connection (its framing is lost).
 */
export class RequestPump {
  readonly #core: ConnectionCore;
  readonly #parsing: ParsingControl;

  constructor(core: ConnectionCore, parsing: ParsingControl) {
    this.#core = core;
    this.#parsing = parsing;
  }

  /** Starts writing the next queued request when the pipelining rules allow. */
  pump(): void {
    const core = this.#core;
    if (core.writing !== null || core.state === 'closed') return;
    const next = core.exchanges.find((exchange) => exchange.stage === 'queued');
    if (next === undefined) return;
    const index = core.exchanges.indexOf(next);
    if (index > 0) {
      if (index >= core.maxPipelined || !core.keepAlive) return;
      const previous = core.exchanges[index - 1] as Exchange;
      // Never pipeline behind a request whose next bytes are not HTTP or not yet decided.
      if (
        !previous.writeFinished ||
        previous.serialized.expectContinue ||
        http1Option(previous.request, 'upgrade')
      )
        return;
      if (previous.serialized.closeRequested) return;
      if (previous.request.method === 'CONNECT') return;
    }
    this.#startWrite(next);
  }

  /** The socket drained: every writer waiting for it goes on. */
  readonly onDrain = (): void => {
    this.#core.drainWaiters.drained();
  };

  #startWrite(exchange: Exchange): void {
    const core = this.#core;
    exchange.stage = 'writing';
    core.writing = exchange;
    core.requestCount++;
    if (core.exchanges[0] === exchange) this.#parsing.beginParsing(exchange);
    if (this.#writeAtOnce(exchange)) return;
    const whenStopped = new Promise<void>((resolve) => {
      exchange.stopWriting = resolve;
    });
    const channel = {
      whenStopped,
      socket: core.socket,
      stopped: () => exchange.head !== null || exchange.stage === 'failed' || core.state === 'closed',
      drained: () => this.#drained(exchange),
      continueDecision: () =>
        waitForContinue(
          exchange,
          core.clock,
          http1Option(exchange.request, 'expectContinueTimeout') ??
            core.options.expectContinueTimeout ??
            1000,
        ),
      firstWrite: () => {
        exchange.requestSent = true;
      },
      lastWrite: () => {
        // Synchronous, so a response racing the promise below is not taken for an early one.
        exchange.writeFinished = true;
      },
    };
    writeRequest(exchange.request, exchange.serialized, channel).then(
      (outcome) => this.#writeDone(exchange, outcome),
      (error: unknown) => this.#writeFailed(exchange, error),
    );
  }

  /**
   * The common request that is all in memory (no body, or a small
   * `bytesBody`/`textBody`/`jsonBody`, no 100-continue) goes out in one
   * synchronous `socket.write`: one syscall for head and body, and none of
   * the async writer's promises and closures. Returns false for every other
   * request, which takes the streaming writer.
   */
  #writeAtOnce(exchange: Exchange): boolean {
    const { serialized, request } = exchange;
    if (serialized.expectContinue) return false;
    const framing = serialized.framing;
    let data: Buffer;
    if (request.body === null) {
      if (framing.kind === 'chunked') return false;
      data = serialized.head;
    } else {
      const bytes = request.body.bytes;
      if (
        framing.kind !== 'length' ||
        bytes === undefined ||
        !(bytes instanceof Uint8Array) ||
        bytes.byteLength !== framing.length ||
        serialized.head.length + bytes.byteLength > WRITE_AT_ONCE_LIMIT
      )
        return false;
      data = bytes.byteLength === 0 ? serialized.head : Buffer.concat([serialized.head, bytes]);
    }
    exchange.requestSent = true;
    let flowing: boolean;
    try {
      flowing = this.#core.socket.write(data);
    } catch (error) {
      this.#writeFailed(exchange, error);
      return true;
    }
    exchange.writeFinished = true;
    if (flowing || request.body === null) this.#writeDone(exchange, 'complete');
    else {
      // As the streaming writer does: a body is done once the socket took it.
      this.#drained(exchange).then(
        () => this.#writeDone(exchange, 'complete'),
        (error: unknown) => this.#writeFailed(exchange, error),
      );
    }
    return true;
  }

  #writeDone(exchange: Exchange, outcome: WriteOutcome): void {
    const core = this.#core;
    if (core.writing === exchange) core.writing = null;
    exchange.writeFinished = true;
    if (outcome !== 'complete') exchange.bodyIncomplete = true;
    exchange.timings.requestSent = core.clock.monotonic();
    if (exchange.stage === 'writing') exchange.stage = 'awaiting-head';
    if (core.parsing === exchange && exchange.head === null) core.armHeadersTimer(exchange);
    if (outcome !== 'complete' && exchange.stage === 'complete' && core.exchanges.length === 0) {
      // The response finished before the body did; the framing of what we sent is broken.
      core.shutdown(null);
      return;
    }
    this.pump();
  }

  #writeFailed(exchange: Exchange, error: unknown): void {
    const core = this.#core;
    if (core.writing === exchange) core.writing = null;
    exchange.writeFinished = true;
    if (exchange.stage === 'failed' || core.state === 'closed') return;
    const { method, url } = exchange.request;
    const failure = toHttpClientError(error, {
      code: 'INVALID_REQUEST',
      message: 'The request body failed',
      requestSent: exchange.requestSent,
    }).withRequest(method, url, exchange.requestSent);
    if (!exchange.requestSent) {
      // Nothing reached the socket: only this exchange fails.
      core.requestCount--;
      if (core.parsing === exchange) core.parsing = null;
      exchange.stage = 'queued';
      core.failOne(exchange, failure);
      this.pump();
      return;
    }
    // Part of a request is on the wire: the connection's framing is lost.
    core.shutdown(failure, exchange);
  }

  #drained(exchange: Exchange): Promise<void> {
    const core = this.#core;
    if (core.state === 'closed')
      return Promise.reject(new HttpClientError('CONNECTION_CLOSED', 'Closed', { requestSent: true }));
    // A server that stops reading our body stalls the upload: bounded by the idle deadline.
    const ms = phaseTimeout(exchange.request, core.options.timeouts, 'bodyIdle') as number;
    return core.drainWaiters.wait(() => core.clock.setTimer(() => core.timeout(exchange, 'body-idle'), ms));
  }
}

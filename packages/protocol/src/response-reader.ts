import { HttpClientError } from '@x/core';
import { HeaderList } from '@x/headers';
import { buildResponse, cancelledError, connectionInfo } from './build-response.js';
import { startDrain, stopDrainOverLimit } from './cancel-drain.js';
import type { ConnectionCore } from './connection-core.js';
import { type Exchange, releaseExchange } from './exchange.js';
import { keepAliveTimeoutHint } from './framing.js';
import { protocolError } from './protocol-errors.js';
import { http1Option, type UpgradedConnection } from './request-options.js';
import { type ResponseHead, ResponseParser } from './response-parser.js';
import { SocketBodySource, type SocketBodySourceHooks } from './socket-body-source.js';
import { isTlsStreamError, tlsStreamError } from './socket-errors.js';
import { ownedCopy, type ReadSink } from './socket-reads.js';

/** Where the bytes given to `onData` live, which decides whether body chunks are copied. */
enum ReadKind {
  /** A `'data'` chunk: a buffer of its own, handed out as is. */
  Owned,
  /** The connector's shared read buffer, overwritten by the next read: body bytes are copied. */
  Reused,
  /**
   * A buffer private to this socket: lent as views to a borrowing body; for
   * any other, given away when the read is large, else copied.
   */
  Private,
}

/**
 * The read side of a connection: feeds socket bytes to the parser, hands
 * out each response head and streams its body with backpressure (the socket
 * pauses while a consumer has unread chunks), and decides after each
 * complete response whether the connection goes on.
 */
export class ResponseReader {
  readonly #core: ConnectionCore;
  readonly #parser: ResponseParser;
  readonly #pump: () => void;
  /** Some byte arrived on this connection (the server finished its side of any TLS handshake). */
  #receivedAny = false;
  /** Shared by every response body of this connection. */
  readonly #bodyHooks: SocketBodySourceHooks<Exchange> = {
    onDemand: (exchange) => this.#onDemand(exchange),
    onCancel: (exchange, reason) => this.#onCancel(exchange, reason),
    onRelease: () => this.#onRelease(),
  };
  #readKind = ReadKind.Owned;
  /** Consecutive reads after which an ordinary body still had unread chunks (hooked sockets). */
  #unreadReads = 0;
  /** The read in progress when it sits in a reused buffer. */
  #read: Buffer | null = null;
  /**
   * An owned copy of that read from its first body byte on, made when the
   * first body chunk needs one: every later chunk of the same read is a view
   * of it (one allocation and one copy per read, as `'data'` would cost,
   * rather than one per chunk of a chunked body).
   */
  #readCopy: Buffer | null = null;
  /** Offset in `#read`'s memory where `#readCopy` starts. */
  #readCopyStart = 0;
  /** What a socket with a read hook (socket-reads.ts) delivers its reads to. */
  readonly sink: ReadSink = {
    onRead: (bytes, isPrivate) => {
      this.#readKind = isPrivate ? ReadKind.Private : ReadKind.Reused;
      this.#read = bytes;
      try {
        this.onData(bytes);
      } finally {
        this.#readKind = ReadKind.Owned;
        this.#read = null;
        this.#readCopy = null;
      }
    },
    nextRead: () => {
      const body = this.#core.parsing?.body;
      if (body == null || body.finished) return 'shared';
      return body.borrowing ? 'lend' : 'own';
    },
  };

  constructor(core: ConnectionCore, pump: () => void) {
    this.#core = core;
    this.#pump = pump;
    this.#parser = new ResponseParser(
      {
        onInterim: (head) => this.#onInterim(head),
        onHead: (head) => this.#onHead(head),
        onBody: (chunk) => this.#onBody(chunk),
        onTrailers: (raw) => {
          const exchange = this.#core.parsing;
          if (exchange !== null) exchange.trailers = HeaderList.fromRaw(raw);
        },
        onComplete: () => this.#onComplete(),
      },
      core.options,
    );
  }

  /** Points the parser at the exchange whose response comes next. */
  beginParsing(exchange: Exchange): void {
    this.#core.parsing = exchange;
    this.#parser.reset(exchange.request.method);
    if (exchange.writeFinished && exchange.head === null) this.#core.armHeadersTimer(exchange);
  }

  readonly onData = (chunk: Buffer): void => {
    const core = this.#core;
    let offset = 0;
    if (chunk.length > 0) this.#receivedAny = true;
    while (offset < chunk.length && core.state !== 'closed') {
      const exchange = core.exchanges[0];
      if (exchange === undefined || !exchange.requestSent) {
        // RFC 9112 §9.6 / SECURITY.md rule 10: never read stray bytes as a response.
        core.shutdown(protocolError('unsolicited-response', 'Bytes arrived while no response was awaited'));
        return;
      }
      if (core.parsing !== exchange) this.beginParsing(exchange);
      exchange.responseStarted = true;
      let used: number;
      try {
        used = this.#parser.execute(offset === 0 ? chunk : chunk.subarray(offset));
      } catch (error) {
        core.shutdown(error as HttpClientError, exchange);
        return;
      }
      offset += used;
      if (stopDrainOverLimit(core, exchange, this.#parser)) return;
      if (this.#parser.state === 'complete' && !this.#finishExchange(exchange, chunk.subarray(offset)))
        return;
    }
    const reader = core.exchanges[0];
    if (reader?.body && !core.paused && core.state !== 'closed' && this.#mustPause(reader, true)) {
      // Backpressure: nobody has read what we have; stop reading the socket.
      core.paused = true;
      core.socket.pause();
      // Silence while our consumer is slow is not the server's fault.
      reader.idleTimer?.cancel();
      reader.idleTimer = null;
    }
  };

  /**
   * An ordinary body pauses the socket while chunks wait unread. A borrowing
   * one pauses only at two lent buffers still in use (the consumer's view and
   * one read waiting behind it): the read after that would need a third.
   */
  #mustPause(exchange: Exchange, afterRead = false): boolean {
    const body = exchange.body as SocketBodySource<Exchange>;
    const reads = this.#core.reads;
    if (reads === null) return body.buffered > 0;
    if (body.borrowing) return reads.pinnedCount() >= 2;
    // A hooked socket pauses by stopping the read (a syscall each way), where a
    // `'data'` socket still reads once more into its Readable buffer: so allow
    // unread chunks from one read, and pause when a second read finds them.
    if (body.buffered === 0) {
      this.#unreadReads = 0;
      return false;
    }
    if (afterRead) this.#unreadReads++;
    return this.#unreadReads >= 2;
  }

  /** A borrowing consumer let go of lent chunks: read again if that freed a buffer. */
  #onRelease(): void {
    const core = this.#core;
    if (!core.paused || core.state === 'closed') return;
    const reader = core.exchanges[0];
    if (reader?.body == null || reader.draining !== null || this.#mustPause(reader)) return;
    core.paused = false;
    core.socket.resume();
  }

  /** The socket ended (FIN): completes a close-delimited body, else the response was cut short. */
  readonly onEnd = (): void => {
    const core = this.#core;
    const exchange = core.exchanges[0];
    if (exchange?.requestSent && core.state !== 'closed') {
      if (core.parsing !== exchange) this.beginParsing(exchange);
      try {
        this.#parser.finish();
      } catch (error) {
        core.shutdown(this.#withSocketError(error as HttpClientError, exchange), exchange);
        return;
      }
      if (this.#parser.state === 'complete') this.#finishExchange(exchange, Buffer.alloc(0));
    }
    core.shutdown(this.#withSocketError(null, core.exchanges[0]));
  };

  readonly onError = (error: unknown): void => {
    this.#core.socketError ??= error;
  };

  readonly onClose = (): void => {
    const core = this.#core;
    if (core.state === 'closed') return;
    const exchange = core.exchanges[0];
    let failure: HttpClientError | null = null;
    if (exchange?.requestSent) {
      if (core.parsing !== exchange) this.beginParsing(exchange);
      try {
        this.#parser.finish();
      } catch (error) {
        failure = error as HttpClientError;
      }
      if (failure === null && this.#parser.state === 'complete') {
        this.#finishExchange(exchange, Buffer.alloc(0));
      }
    }
    core.shutdown(this.#withSocketError(failure, exchange), exchange);
  };

  /**
   * The failure a closing socket gives the exchange in flight: a TLS error
   * on the stream becomes TLS_FAILED (also for an idle connection's close
   * report); any other socket error becomes the cause of the failure.
   */
  #withSocketError(failure: HttpClientError | null, exchange: Exchange | undefined): HttpClientError | null {
    const socketError = this.#core.socketError;
    if (socketError === undefined) return failure;
    if (isTlsStreamError(socketError) && (failure !== null || exchange === undefined)) {
      return tlsStreamError(
        socketError,
        exchange?.request,
        exchange?.requestSent ?? false,
        this.#receivedAny,
      );
    }
    if (failure === null) return null;
    return new HttpClientError(failure.code, failure.message, {
      requestSent: true,
      details: failure.details,
      cause: socketError,
    });
  }

  /**
   * The consumer waits and nothing is buffered. Only now is silence the
   * server's: the body-idle countdown restarts here, and it only fails the
   * exchange if the consumer is still waiting when it runs out (see
   * `ConnectionCore.armIdleTimer`), never while the consumer holds a chunk
   * or has not asked (backpressure is not a stalled server).
   */
  #onDemand(exchange: Exchange): void {
    const core = this.#core;
    this.#unreadReads = 0;
    if (core.state === 'closed' || exchange.stage !== 'body' || exchange.draining !== null) return;
    if (core.parsing === exchange) core.armIdleTimer(exchange);
    if (core.paused && core.exchanges[0] === exchange) {
      core.paused = false;
      core.socket.resume();
    }
  }

  /**
   * The consumer cancelled mid-body. Its view is final at once (the body
   * and the trailers reject with ABORTED); the connection either reads and
   * discards a small rest to stay reusable (cancel-drain.ts), or closes.
   */
  #onCancel(exchange: Exchange, reason: unknown): void {
    if (exchange.stage !== 'body' || exchange.draining !== null) return;
    if (startDrain(this.#core, exchange, this.#parser, reason)) return;
    this.#core.shutdown(cancelledError(exchange.request, reason), exchange);
  }

  #onInterim(head: ResponseHead): void {
    const exchange = this.#core.parsing;
    if (exchange === null) return;
    if (head.status === 100) {
      exchange.continueWith?.(true);
      return;
    }
    const callback = http1Option(exchange.request, 'onInformational');
    if (callback === undefined) return;
    try {
      callback({ status: head.status, reason: head.reason, headers: HeaderList.fromRaw(head.rawHeaders) });
    } catch {
      // A hint callback must not break the exchange.
    }
  }

  #onHead(head: ResponseHead): void {
    const core = this.#core;
    const exchange = core.parsing as Exchange;
    exchange.head = head;
    exchange.timings.headers = core.clock.monotonic();
    exchange.headersTimer?.cancel();
    exchange.headersTimer = null;
    const upgrade =
      head.status === 101 ||
      (exchange.request.method === 'CONNECT' && head.status >= 200 && head.status < 300);
    if (upgrade && http1Option(exchange.request, 'upgrade') !== true) {
      throw protocolError(
        'unexpected-upgrade',
        `Got ${head.status} switching protocols without asking for it`,
      );
    }
    if (!exchange.writeFinished || exchange.continueWith !== null) {
      // A final response before the whole body was sent (RFC 9110 §10.1.1):
      // stop sending; the connection cannot be reused.
      exchange.bodyIncomplete = true;
      exchange.continueWith?.(false);
      exchange.stopWriting?.();
    }
    exchange.headers = HeaderList.fromRaw(head.rawHeaders);
    const keepAliveField = exchange.headers.get('keep-alive');
    if (keepAliveField !== core.keepAliveField) {
      core.keepAliveField = keepAliveField;
      core.keepAliveFieldTimeout = keepAliveTimeoutHint(keepAliveField);
    }
    core.keepAliveTimeout = core.keepAliveFieldTimeout ?? core.keepAliveTimeout;
    if (upgrade) return; // resolved in #finishExchange, which knows the bytes after the head
    exchange.stage = 'body';
    // No body-idle deadline yet: it starts when the consumer asks for bytes (#onDemand).
    this.#resolveHead(exchange, undefined);
  }

  #resolveHead(exchange: Exchange, upgrade: UpgradedConnection | undefined): void {
    const core = this.#core;
    const source = new SocketBodySource(this.#bodyHooks, exchange);
    exchange.body = source;
    exchange.resolve(
      buildResponse({
        request: exchange.request,
        head: exchange.head as ResponseHead,
        headers: exchange.headers ?? HeaderList.fromRaw((exchange.head as ResponseHead).rawHeaders),
        source,
        trailers: exchange.trailersPromise,
        socket: core.socket,
        connection: connectionInfo(core.socket, core.id, exchange.reused),
        timings: exchange.timings,
        bufferLimit: core.options.bufferLimit,
        extraMeta: upgrade === undefined ? undefined : { upgrade },
      }),
    );
  }

  #onBody(chunk: Buffer): void {
    const body = this.#core.parsing?.body;
    if (body == null || body.finished) return;
    switch (this.#readKind) {
      case ReadKind.Owned:
        body.push(chunk);
        return;
      case ReadKind.Private: {
        const reads = this.#core.reads;
        if (body.borrowing) {
          // A view of a private read buffer, pinned until the consumer moves past it.
          if (body.push(chunk)) reads?.pinCurrent(body, body.pushed);
          return;
        }
        // Only a read filling half its buffer or more is given away: a kept chunk then never
        // holds a buffer over twice its size (a server trickling tiny reads cannot make a
        // buffering consumer hold 64 KiB per byte).
        const read = this.#read as Buffer;
        if (read.length * 2 >= read.buffer.byteLength) {
          // The consumer owns views of this buffer now, as with a `'data'` chunk.
          if (body.push(chunk)) reads?.giveAwayCurrent();
          return;
        }
        body.push(this.#owned(chunk));
        return;
      }
      case ReadKind.Reused:
        body.push(this.#owned(chunk));
        return;
    }
  }

  /** `chunk` (a view of the read in progress) as a view of an owned copy of that read. */
  #owned(chunk: Buffer): Buffer {
    const read = this.#read as Buffer;
    let copy = this.#readCopy;
    if (copy === null) {
      this.#readCopyStart = chunk.byteOffset;
      copy = ownedCopy(read.subarray(chunk.byteOffset - read.byteOffset));
      this.#readCopy = copy;
    }
    const start = chunk.byteOffset - this.#readCopyStart;
    return start === 0 && chunk.length === copy.length ? copy : copy.subarray(start, start + chunk.length);
  }

  #onComplete(): void {
    const exchange = this.#core.parsing;
    if (exchange === null || exchange.head === null || exchange.head.status === 101) return;
    exchange.idleTimer?.cancel();
    exchange.idleTimer = null;
    exchange.body?.end();
    exchange.resolveTrailers(exchange.trailers ?? new HeaderList());
  }

  /**
   * After a complete response: hands over an upgraded socket, or decides
   * whether the connection goes on. Returns false when it stopped reading.
   */
  #finishExchange(exchange: Exchange, rest: Buffer): boolean {
    const core = this.#core;
    const head = exchange.head as ResponseHead;
    const upgraded = exchange.stage !== 'body';
    exchange.stage = 'complete';
    releaseExchange(exchange);
    core.exchanges.shift();
    core.parsing = null;
    if (upgraded) {
      core.detach();
      this.#resolveHead(exchange, { socket: core.socket, head: Uint8Array.prototype.slice.call(rest) });
      exchange.body?.end();
      exchange.resolveTrailers(new HeaderList());
      core.shutdown(null, undefined, true);
      return false;
    }
    if (!head.framing.keepAlive || exchange.serialized.closeRequested || exchange.bodyIncomplete)
      core.keepAlive = false;
    if (core.requestCount >= core.maxRequests && core.exchanges.length === 0) core.keepAlive = false;
    if (!core.keepAlive) {
      core.shutdown(null);
      return false;
    }
    const next = core.exchanges[0];
    if (next?.requestSent) {
      this.beginParsing(next);
      return true;
    }
    if (rest.length > 0) {
      core.shutdown(protocolError('unsolicited-response', 'Bytes followed a complete response'));
      return false;
    }
    if (core.paused) {
      core.paused = false;
      core.socket.resume();
    }
    if (core.exchanges.length === 0) {
      if (core.state === 'closing') {
        core.shutdown(null);
        return false;
      }
      core.emitIdle();
    } else {
      this.#pump();
    }
    return true;
  }
}

import type { HttpClientError } from '@x/core';
import { asciiLower } from '@x/headers';
import { ChunkedDecoder } from './chunked-decoder.js';
import { FIELD_LINE_MESSAGES, fastFieldLine, parseFieldLine } from './field-line.js';
import { decideFraming, type ResponseFraming } from './framing.js';
import { DEFAULT_PARSER_LENIENCY, type ParserLeniency, type ParserLimits, resolveLimits } from './limits.js';
import { LineScanner } from './line-scanner.js';
import { ownOption } from './phase-timeouts.js';
import { closedError, limitError, protocolError } from './protocol-errors.js';
import { StringCache } from './string-cache.js';

/**
 * An incremental HTTP/1.1 response parser (RFC 9112) with no I/O: feed it
 * bytes split anywhere with `execute`, get callbacks. It parses one response
 * per `reset`, consuming interim 1xx responses on the way, and stops at the
 * end of the final one so the caller decides what the following bytes are
 * (the next pipelined response, an upgraded protocol, or garbage).
 *
 *   const parser = new ResponseParser({ onHead, onBody, onComplete });
 *   parser.reset('GET');
 *   const used = parser.execute(bytes); // < bytes.length only once complete
 *
 * Errors are thrown as HttpClientError (PROTOCOL_ERROR with `rule`, or
 * LIMIT_EXCEEDED with `details.limit`); after one, the parser stays failed.
 */

export interface ResponseHead {
  readonly status: number;
  readonly reason: string;
  readonly httpVersion: '1.0' | '1.1';
  /** Flat `[name, value, name, value, ...]` in wire order and casing, values trimmed. */
  readonly rawHeaders: string[];
  /** How the body is delimited; `none` for interim responses. */
  readonly framing: ResponseFraming;
}

export interface ResponseParserHandlers {
  /** A 1xx other than 101 (RFC 9110 §15.2): never the final response. */
  onInterim?(head: ResponseHead): void;
  /** The final response head (101 included). */
  onHead(head: ResponseHead): void;
  /** Body bytes, as views of the input (copy them to keep them past the input's life). */
  onBody(chunk: Buffer): void;
  /** Trailer fields of a chunked body, before `onComplete`. */
  onTrailers?(raw: string[]): void;
  onComplete(): void;
}

export interface ResponseParserOptions extends Partial<ParserLimits>, Partial<ParserLeniency> {}

export type ResponseParserState = 'head' | 'body' | 'complete' | 'failed';

const INTERIM_FRAMING: ResponseFraming = Object.freeze({ kind: 'none', length: null, keepAlive: true });

enum Phase {
  StatusLine,
  Fields,
  BodyLength,
  BodyChunked,
  BodyClose,
  Complete,
  Failed,
}

export class ResponseParser {
  readonly #handlers: ResponseParserHandlers;
  readonly #limits: ParserLimits;
  readonly #leniency: ParserLeniency;
  readonly #lines = new LineScanner();
  readonly #strings = new StringCache();
  #phase = Phase.StatusLine;
  #method = 'GET';
  #status = 0;
  #reason = '';
  #version: '1.0' | '1.1' = '1.1';
  #raw: string[] = [];
  #headerBytes = 0;
  #interimCount = 0;
  #received = 0;
  #remaining = 0;
  #bodyBytes = 0;
  #framing: ResponseFraming = INTERIM_FRAMING;
  #chunked: ChunkedDecoder | null = null;
  #reusableDecoder: ChunkedDecoder | null = null;
  #error: HttpClientError | null = null;

  constructor(handlers: ResponseParserHandlers, options: ResponseParserOptions = {}) {
    this.#handlers = handlers;
    this.#limits = resolveLimits(options);
    this.#leniency = {
      // Own properties only (SECURITY.md rule 4): an inherited switch must not make the parser lenient.
      allowBareLf: ownOption(options, 'allowBareLf') ?? DEFAULT_PARSER_LENIENCY.allowBareLf,
      allowObsFold: ownOption(options, 'allowObsFold') ?? DEFAULT_PARSER_LENIENCY.allowObsFold,
    };
  }

  /** Prepares for the response to a request with this method (HEAD responses have no body). */
  reset(requestMethod = 'GET'): void {
    this.#method = requestMethod;
    this.#phase = Phase.StatusLine;
    this.#lines.reset();
    this.#raw = [];
    this.#headerBytes = 0;
    this.#interimCount = 0;
    this.#received = 0;
    this.#bodyBytes = 0;
    this.#framing = INTERIM_FRAMING;
    this.#chunked = null;
    this.#error = null;
  }

  get state(): ResponseParserState {
    switch (this.#phase) {
      case Phase.StatusLine:
      case Phase.Fields:
        return 'head';
      case Phase.Complete:
        return 'complete';
      case Phase.Failed:
        return 'failed';
      default:
        return 'body';
    }
  }

  /** Bytes of this response (interim responses included) seen so far. */
  get bytesReceived(): number {
    return this.#received;
  }

  /** Body bytes delivered so far. */
  get bodyBytes(): number {
    return this.#bodyBytes;
  }

  /** The framing of the final response, once its head was parsed. */
  get framing(): ResponseFraming {
    return this.#framing;
  }

  /**
   * Parses from `chunk`; returns how many bytes were used. That is all of
   * them unless the response completed inside the chunk: the rest is the
   * caller's.
   */
  execute(chunk: Uint8Array): number {
    if (this.#error !== null) throw this.#error;
    const buffer = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    try {
      const used = this.#run(buffer);
      this.#received += used;
      return used;
    } catch (error) {
      this.#phase = Phase.Failed;
      this.#error = error as HttpClientError;
      throw error;
    }
  }

  /**
   * The input ended (the peer closed). Completes a close-delimited body;
   * otherwise throws CONNECTION_CLOSED saying how far the response got.
   */
  finish(): void {
    if (this.#error !== null) throw this.#error;
    switch (this.#phase) {
      case Phase.Complete:
        return;
      case Phase.BodyClose:
        this.#phase = Phase.Complete;
        this.#handlers.onComplete();
        return;
      case Phase.StatusLine:
      case Phase.Fields:
        this.#phase = Phase.Failed;
        this.#error =
          this.#received === 0 && this.#lines.pending === 0
            ? closedError('The connection closed before any response byte', {
                responseStarted: false,
                bytesReceived: 0,
              })
            : closedError('The connection closed during the response head', {
                responseStarted: true,
                stage: 'head',
              });
        throw this.#error;
      default: {
        const expected = this.#framing.kind === 'length' ? this.#framing.length : null;
        this.#phase = Phase.Failed;
        this.#error = closedError(
          `The connection closed after ${this.#bodyBytes} body bytes` +
            (expected === null ? ' of a chunked body' : ` of ${expected}`),
          { responseStarted: true, stage: 'body', bytesReceived: this.#bodyBytes, bytesExpected: expected },
        );
        throw this.#error;
      }
    }
  }

  #run(buffer: Buffer): number {
    let offset = 0;
    const end = buffer.length;
    while (offset < end) {
      switch (this.#phase) {
        case Phase.StatusLine:
        case Phase.Fields:
          offset = this.#head(buffer, offset);
          break;
        case Phase.BodyLength: {
          const take = Math.min(this.#remaining, end - offset);
          this.#remaining -= take;
          this.#bodyBytes += take;
          // The body is a view of the socket's buffer, never a copy; when it is
          // the whole read (the common case mid-body) no new view is made either.
          const data = take === end && offset === 0 ? buffer : buffer.subarray(offset, offset + take);
          offset += take;
          if (this.#remaining === 0) this.#phase = Phase.Complete;
          this.#handlers.onBody(data);
          if (this.#phase === Phase.Complete) this.#handlers.onComplete();
          break;
        }
        case Phase.BodyChunked: {
          const decoder = this.#chunked as ChunkedDecoder;
          offset = decoder.execute(buffer, offset);
          if (decoder.done) {
            this.#phase = Phase.Complete;
            this.#handlers.onComplete();
          }
          break;
        }
        case Phase.BodyClose:
          this.#bodyBytes += end - offset;
          this.#handlers.onBody(offset === 0 ? buffer : buffer.subarray(offset));
          offset = end;
          break;
        default:
          return offset;
      }
    }
    return offset;
  }

  #head(buffer: Buffer, offset: number): number {
    const limits = this.#limits;
    const lines = this.#lines;
    for (;;) {
      if (this.#phase === Phase.Fields && lines.pending === 0) {
        // Fast path: whole CRLF-terminated lines inside this chunk.
        if (buffer[offset] === 0x0d && buffer[offset + 1] === 0x0a) {
          this.#headerBytes += 2;
          if (this.#headerBytes > limits.maxHeaderBytes) throw this.#headersTooLarge();
          offset += 2;
          this.#endOfHead();
          if ((this.#phase as Phase) !== Phase.StatusLine) return offset;
          continue;
        }
        const fast = fastFieldLine(buffer, offset, this.#raw, this.#strings);
        if (fast !== -1) {
          this.#headerBytes += fast - offset;
          if (this.#headerBytes > limits.maxHeaderBytes) throw this.#headersTooLarge();
          if (this.#raw.length > limits.maxHeaderCount * 2) {
            throw limitError('maxHeaderCount', limits.maxHeaderCount, 'Too many response header fields');
          }
          offset = fast;
          continue;
        }
      }
      const next = lines.next(buffer, offset);
      if (next === -1) {
        if (this.#phase === Phase.StatusLine) {
          if (lines.pending > limits.maxStatusLineBytes) throw this.#statusLineTooLong();
        } else if (this.#headerBytes + lines.pending > limits.maxHeaderBytes) {
          throw this.#headersTooLarge();
        }
        return buffer.length;
      }
      offset = next;
      if (lines.bareLf && !this.#leniency.allowBareLf) {
        throw protocolError('header-bare-lf', 'Response head line ended with LF without CR (RFC 9112 §2.2)');
      }
      if (this.#phase === Phase.StatusLine) {
        if (lines.lineBytes > limits.maxStatusLineBytes) throw this.#statusLineTooLong();
        this.#statusLine(lines.lineBuffer, lines.lineStart, lines.lineEnd);
        this.#phase = Phase.Fields;
        continue;
      }
      this.#headerBytes += lines.lineBytes;
      if (this.#headerBytes > limits.maxHeaderBytes) throw this.#headersTooLarge();
      if (lines.lineStart === lines.lineEnd) {
        this.#endOfHead();
        if ((this.#phase as Phase) !== Phase.StatusLine) return offset;
        continue;
      }
      const rule = parseFieldLine(
        lines.lineBuffer,
        lines.lineStart,
        lines.lineEnd,
        this.#raw,
        this.#leniency.allowObsFold,
        this.#strings,
      );
      if (rule !== null) throw protocolError(rule, FIELD_LINE_MESSAGES[rule]);
      if (this.#raw.length > limits.maxHeaderCount * 2) {
        throw limitError('maxHeaderCount', limits.maxHeaderCount, 'Too many response header fields');
      }
    }
  }

  /** status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4). */
  #statusLine(buffer: Buffer, start: number, end: number): void {
    const length = end - start;
    if (
      length < 12 ||
      buffer[start] !== 0x48 || // H
      buffer[start + 1] !== 0x54 || // T
      buffer[start + 2] !== 0x54 || // T
      buffer[start + 3] !== 0x50 || // P
      buffer[start + 4] !== 0x2f || // /
      buffer[start + 8] !== 0x20
    ) {
      throw protocolError('invalid-status-line', 'Malformed status line');
    }
    const major = buffer[start + 5] as number;
    const minor = buffer[start + 7] as number;
    if (major !== 0x31 || buffer[start + 6] !== 0x2e || (minor !== 0x30 && minor !== 0x31)) {
      throw protocolError('unsupported-http-version', 'Only HTTP/1.0 and HTTP/1.1 responses are understood');
    }
    this.#version = minor === 0x31 ? '1.1' : '1.0';
    let status = 0;
    for (let index = start + 9; index < start + 12; index++) {
      const digit = (buffer[index] as number) - 0x30;
      if (digit < 0 || digit > 9)
        throw protocolError('invalid-status-code', 'Status code is not three digits');
      status = status * 10 + digit;
    }
    // RFC 9110 §15: status codes outside 100..599 are invalid.
    if (status < 100 || status > 599)
      throw protocolError('invalid-status-code', `Status code ${status} out of range`);
    this.#status = status;
    if (length === 12) {
      // A missing SP before an empty reason is a common, harmless deviation.
      this.#reason = '';
      return;
    }
    if (buffer[start + 12] !== 0x20) throw protocolError('invalid-status-line', 'Malformed status line');
    for (let index = start + 13; index < end; index++) {
      const code = buffer[index] as number;
      if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
        throw protocolError(
          code === 0 ? 'header-nul' : code === 0x0d ? 'header-bare-cr' : 'invalid-status-line',
          'Control character in the reason phrase',
        );
      }
    }
    this.#reason = this.#strings.get(buffer, start + 13, end);
  }

  #endOfHead(): void {
    const status = this.#status;
    const raw = this.#raw;
    if (status < 200 && status !== 101) {
      // Interim response (RFC 9110 §15.2): surface it and read the next head.
      if (++this.#interimCount > this.#limits.maxInterimResponses) {
        throw limitError('maxInterimResponses', this.#limits.maxInterimResponses, 'Too many 1xx responses');
      }
      const head: ResponseHead = {
        status,
        reason: this.#reason,
        httpVersion: this.#version,
        rawHeaders: raw,
        framing: INTERIM_FRAMING,
      };
      this.#raw = [];
      this.#headerBytes = 0;
      this.#phase = Phase.StatusLine;
      this.#handlers.onInterim?.(head);
      return;
    }
    const framingFields = collectFramingFields(raw);
    const decision = decideFraming({
      status,
      httpVersion: this.#version,
      requestMethod: this.#method,
      contentLength: framingFields.contentLength,
      transferEncoding: framingFields.transferEncoding,
      connection: framingFields.connection,
    });
    if (!decision.ok) throw protocolError(decision.rule, decision.message);
    // 101 hands the connection to another protocol: nothing after the head is ours.
    const framing: ResponseFraming =
      status === 101 ? { kind: 'none', length: null, keepAlive: false } : decision.framing;
    this.#framing = framing;
    const head: ResponseHead = {
      status,
      reason: this.#reason,
      httpVersion: this.#version,
      rawHeaders: raw,
      framing,
    };
    switch (framing.kind) {
      case 'none':
        this.#phase = Phase.Complete;
        break;
      case 'length':
        this.#remaining = framing.length as number;
        this.#phase = this.#remaining === 0 ? Phase.Complete : Phase.BodyLength;
        break;
      case 'chunked':
        this.#chunked = this.#chunkedDecoder();
        this.#phase = Phase.BodyChunked;
        break;
      case 'close':
        this.#phase = Phase.BodyClose;
        break;
    }
    this.#handlers.onHead(head);
    if (this.#phase === Phase.Complete) this.#handlers.onComplete();
  }

  /** One decoder per parser, reset per body: no decoder, scanner or handler closures per response. */
  #chunkedDecoder(): ChunkedDecoder {
    if (this.#reusableDecoder === null) {
      this.#reusableDecoder = new ChunkedDecoder(
        {
          onData: (data) => {
            this.#bodyBytes += data.length;
            this.#handlers.onBody(data);
          },
          onTrailers: (trailers) => this.#handlers.onTrailers?.(trailers),
        },
        this.#limits,
        this.#leniency,
      );
    } else {
      this.#reusableDecoder.reset();
    }
    return this.#reusableDecoder;
  }

  #statusLineTooLong(): HttpClientError {
    return limitError('maxStatusLineBytes', this.#limits.maxStatusLineBytes, 'Status line too long');
  }

  #headersTooLarge(): HttpClientError {
    return limitError('maxHeaderBytes', this.#limits.maxHeaderBytes, 'Response header section too large');
  }
}

interface FramingFields {
  contentLength: string[];
  transferEncoding: string[];
  connection: string[];
}

const NO_VALUES: string[] = [];

/**
 * The values of the three fields framing depends on, in one pass; names are
 * lower-cased only when their length matches one of them.
 */
function collectFramingFields(raw: string[]): FramingFields {
  const fields: FramingFields = {
    contentLength: NO_VALUES,
    transferEncoding: NO_VALUES,
    connection: NO_VALUES,
  };
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index] as string;
    const length = name.length;
    if (length !== 14 && length !== 17 && length !== 10) continue;
    const lower = asciiLower(name);
    const value = raw[index + 1] as string;
    if (lower === 'content-length') fields.contentLength = appended(fields.contentLength, value);
    else if (lower === 'transfer-encoding')
      fields.transferEncoding = appended(fields.transferEncoding, value);
    else if (lower === 'connection') fields.connection = appended(fields.connection, value);
  }
  return fields;
}

function appended(values: string[], value: string): string[] {
  if (values === NO_VALUES) return [value];
  values.push(value);
  return values;
}

/**
 * A streamed, bounded parser for multipart/byteranges bodies (RFC 9110
 * §14.6), the answer to a Range request with more than one range. The
 * multipart syntax is RFC 2046 §5.1.1:
 *
 *   body  := [preamble CRLF] dash-boundary *LWSP CRLF part
 *            *( CRLF dash-boundary *LWSP CRLF part ) CRLF dash-boundary "--" [epilogue]
 *
 * Nothing is buffered beyond one part's header section and the few bytes
 * that might start a delimiter, so memory stays flat whatever the sizes.
 * Every part must carry a valid `Content-Range: bytes first-last/length`,
 * and its body must be exactly that many bytes: a client stitching ranges
 * at wrong offsets would corrupt data silently.
 */

import { HttpClientError } from '@x/core';
import { type ContentRange, contentRange, HeaderList, parseMediaType } from '@x/headers';

export interface MultipartLimits {
  /** Bytes of one part's header section. Default 8 KiB. */
  readonly maxPartHeaderBytes?: number | undefined;
  /** Parts in one body. Default 1000. */
  readonly maxParts?: number | undefined;
  /** Bytes of preamble (before the first delimiter) skipped. Default 64 KiB. */
  readonly maxPreambleBytes?: number | undefined;
}

type ResolvedLimits = { readonly [K in keyof MultipartLimits]-?: number };

export const MULTIPART_DEFAULTS: ResolvedLimits = Object.freeze({
  maxPartHeaderBytes: 8 * 1024,
  maxParts: 1000,
  maxPreambleBytes: 64 * 1024,
});

/** One range of a multipart/byteranges body. Read `body` before asking for the next part, or skip it. */
export interface ByteRangePart {
  readonly headers: HeaderList;
  /** First byte position (inclusive). */
  readonly start: number;
  /** Last byte position (inclusive), as in Content-Range. */
  readonly end: number;
  /** The representation's full length, or null when the server sent "*". */
  readonly completeLength: number | null;
  /** Exactly end - start + 1 bytes; single use. */
  readonly body: AsyncIterable<Uint8Array>;
}

/** RFC 2046 §5.1.1: 1–70 characters from bchars, not ending in a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/**
 * The boundary of a multipart/byteranges Content-Type, or null when the
 * value is another media type or has no valid boundary.
 */
export function byterangesBoundary(contentTypeValue: string | null): string | null {
  const parsed = parseMediaType(contentTypeValue);
  if (!parsed.ok || parsed.value.type !== 'multipart' || parsed.value.subtype !== 'byteranges') return null;
  const boundary = parsed.value.parameters.get('boundary');
  return boundary !== undefined && BOUNDARY.test(boundary) ? boundary : null;
}

type ScanEvent =
  | { readonly kind: 'head'; readonly headers: HeaderList }
  | { readonly kind: 'data'; readonly bytes: Uint8Array }
  | { readonly kind: 'end-part' };

interface PartState {
  readonly expected: number;
  received: number;
  finished: boolean;
  claimed: boolean;
}

/**
 * Parses a multipart/byteranges body from a byte stream. Parts come one at
 * a time; leaving a part's body unread skips it. Breaking out of the loop
 * stops reading `source` (its iterator's `return()` runs, which cancels a
 * ResponseBody). Malformed input is PROTOCOL_ERROR (`rule` names what),
 * exceeding a limit is LIMIT_EXCEEDED.
 */
export async function* parseMultipartByteranges(
  source: AsyncIterable<Uint8Array>,
  boundary: string,
  limits: MultipartLimits = {},
): AsyncGenerator<ByteRangePart, void, undefined> {
  if (!BOUNDARY.test(boundary)) throw protocolError('multipart-boundary', 'invalid multipart boundary');
  const settings = { ...MULTIPART_DEFAULTS, ...definedOnly(limits) };
  const events = scan(source, boundary, settings);
  let current: PartState | null = null;
  try {
    for (;;) {
      if (current !== null) while (!current.finished) await nextPartChunk(events, current);
      const step = await events.next();
      if (step.done) return;
      if (step.value.kind !== 'head') throw protocolError('multipart-structure', 'part data outside a part');
      const range = requireContentRange(contentRange(step.value.headers));
      const state: PartState = {
        expected: range.end - range.start + 1,
        received: 0,
        finished: false,
        claimed: false,
      };
      current = state;
      yield {
        headers: step.value.headers,
        start: range.start,
        end: range.end,
        completeLength: range.completeLength,
        body: partBody(events, state),
      };
    }
  } finally {
    await events.return(undefined);
  }
}

function requireContentRange(parsed: ReturnType<typeof contentRange>): {
  start: number;
  end: number;
  completeLength: number | null;
} {
  if (parsed === null)
    throw protocolError('multipart-content-range', 'a byteranges part has no Content-Range');
  if (!parsed.ok)
    throw protocolError('multipart-content-range', `bad Content-Range in a part: ${parsed.reason}`);
  const value: ContentRange = parsed.value;
  if (value.unit !== 'bytes' || value.range === null) {
    throw protocolError('multipart-content-range', 'a byteranges part must carry a satisfied bytes range');
  }
  return { start: value.range.start, end: value.range.end, completeLength: value.completeLength };
}

function partBody(events: AsyncGenerator<ScanEvent>, state: PartState): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      if (state.claimed) {
        throw new HttpClientError('BODY_CONSUMED', 'This part body was already read', { requestSent: true });
      }
      state.claimed = true;
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          while (!state.finished) {
            const bytes = await nextPartChunk(events, state);
            if (bytes !== null) return { done: false, value: bytes };
          }
          return { done: true, value: undefined };
        },
        // Leaving early is fine: the parser skips the rest of this part.
        async return(): Promise<IteratorResult<Uint8Array>> {
          return { done: true, value: undefined };
        },
      };
    },
  };
}

/** The next chunk of the current part, or null when the part just ended (length checked). */
async function nextPartChunk(
  events: AsyncGenerator<ScanEvent>,
  state: PartState,
): Promise<Uint8Array | null> {
  const step = await events.next();
  if (step.done || step.value.kind === 'head') throw truncated();
  if (step.value.kind === 'end-part') {
    state.finished = true;
    if (state.received !== state.expected) {
      throw protocolError(
        'multipart-part-length',
        `a part held ${state.received} bytes, its Content-Range says ${state.expected}`,
      );
    }
    return null;
  }
  state.received += step.value.bytes.byteLength;
  if (state.received > state.expected) {
    throw protocolError(
      'multipart-part-length',
      `a part holds more than the ${state.expected} bytes it declared`,
    );
  }
  return step.value.bytes;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
/** Transport padding after a boundary (RFC 2046 §5.1.1 LWSP) is bounded too. */
const MAX_PADDING = 256;

type ScanState = 'preamble' | 'after-delimiter' | 'head' | 'body' | 'epilogue';

/** The byte-level scanner: turns the stream into head / data / end-part events. */
async function* scan(
  source: AsyncIterable<Uint8Array>,
  boundary: string,
  limits: ResolvedLimits,
): AsyncGenerator<ScanEvent, void, undefined> {
  const delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  const iterator = source[Symbol.asyncIterator]();
  let ended = false;
  // A virtual CRLF in front lets a body that starts with the boundary match the delimiter.
  let buffer: Buffer = Buffer.from(CRLF);
  let state: ScanState = 'preamble';
  let skipped = 0;
  let parts = 0;
  const more = async (): Promise<boolean> => {
    if (ended) return false;
    const step = await iterator.next();
    if (step.done) {
      ended = true;
      return false;
    }
    const chunk = Buffer.from(step.value.buffer, step.value.byteOffset, step.value.byteLength);
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    return true;
  };
  try {
    for (;;) {
      if (state === 'preamble') {
        const at = buffer.indexOf(delimiter);
        const drop = at === -1 ? Math.max(0, buffer.length - (delimiter.length - 1)) : at;
        skipped += drop;
        if (skipped > limits.maxPreambleBytes) throw limitError('maxPreambleBytes', limits.maxPreambleBytes);
        if (at === -1) {
          buffer = buffer.subarray(drop);
          if (!(await more())) throw truncated();
          continue;
        }
        buffer = buffer.subarray(at + delimiter.length);
        state = 'after-delimiter';
      } else if (state === 'after-delimiter') {
        if (buffer.length < 2 && (await more())) continue;
        if (buffer.length >= 2 && buffer[0] === 0x2d && buffer[1] === 0x2d) {
          state = 'epilogue';
          continue;
        }
        const lineEnd = buffer.indexOf(CRLF);
        if (lineEnd === -1) {
          if (buffer.length > MAX_PADDING)
            throw protocolError('multipart-delimiter', 'text after a boundary');
          if (!(await more())) throw truncated();
          continue;
        }
        for (let index = 0; index < lineEnd; index++) {
          if (buffer[index] !== 0x20 && buffer[index] !== 0x09) {
            throw protocolError('multipart-delimiter', 'text after a boundary');
          }
        }
        buffer = buffer.subarray(lineEnd + 2);
        state = 'head';
      } else if (state === 'head') {
        const emptyHead = buffer.length >= 2 && buffer[0] === 0x0d && buffer[1] === 0x0a;
        const end = emptyHead ? 0 : buffer.indexOf(HEADER_END);
        if (end === -1) {
          if (buffer.length > limits.maxPartHeaderBytes) {
            throw limitError('maxPartHeaderBytes', limits.maxPartHeaderBytes);
          }
          if (!(await more())) throw truncated();
          continue;
        }
        if (end > limits.maxPartHeaderBytes)
          throw limitError('maxPartHeaderBytes', limits.maxPartHeaderBytes);
        parts++;
        if (parts > limits.maxParts) throw limitError('maxParts', limits.maxParts);
        const headers = parsePartHeaders(buffer.subarray(0, end).toString('latin1'));
        buffer = buffer.subarray(emptyHead ? 2 : end + 4);
        state = 'body';
        yield { kind: 'head', headers };
      } else if (state === 'body') {
        const at = buffer.indexOf(delimiter);
        if (at !== -1) {
          const data = buffer.subarray(0, at);
          buffer = buffer.subarray(at + delimiter.length);
          state = 'after-delimiter';
          if (data.length > 0) yield { kind: 'data', bytes: data };
          yield { kind: 'end-part' };
          continue;
        }
        // Keep just enough bytes to recognise a delimiter split across chunks.
        const safe = buffer.length - (delimiter.length - 1);
        if (safe > 0) {
          const data = buffer.subarray(0, safe);
          buffer = buffer.subarray(safe);
          yield { kind: 'data', bytes: data };
        }
        if (!(await more())) throw truncated();
      } else {
        // Epilogue (RFC 2046: to be ignored). Drained up to a bound so the
        // connection can be reused; past it, reading simply stops.
        let drained = buffer.length;
        buffer = Buffer.alloc(0);
        while (drained <= limits.maxPreambleBytes && (await more())) {
          drained += buffer.length;
          buffer = Buffer.alloc(0);
        }
        return;
      }
    }
  } finally {
    if (!ended) await iterator.return?.();
  }
}

/** Field lines of a part's header section; obs-fold and invalid lines are PROTOCOL_ERROR (RFC 9112 §5.2). */
function parsePartHeaders(text: string): HeaderList {
  const headers = new HeaderList();
  if (text === '') return headers;
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0 || line.startsWith(' ') || line.startsWith('\t')) {
      throw protocolError(
        'multipart-header',
        `malformed part header line ${JSON.stringify(line.slice(0, 80))}`,
      );
    }
    try {
      headers.append(line.slice(0, colon), line.slice(colon + 1));
    } catch (cause) {
      throw protocolError('multipart-header', 'invalid part header field', cause);
    }
  }
  return headers;
}

function truncated(): HttpClientError {
  return protocolError(
    'multipart-truncated',
    'the multipart/byteranges body ended before its close delimiter',
  );
}

function protocolError(rule: string, message: string, cause?: unknown): HttpClientError {
  return new HttpClientError('PROTOCOL_ERROR', message, { rule, requestSent: true, cause });
}

function limitError(limit: string, max: number): HttpClientError {
  return new HttpClientError('LIMIT_EXCEEDED', `multipart/byteranges ${limit} (${max}) exceeded`, {
    requestSent: true,
    details: { limit, max },
  });
}

function definedOnly(limits: MultipartLimits): Partial<ResolvedLimits> {
  const result: { -readonly [K in keyof ResolvedLimits]?: number } = {};
  for (const key of Object.keys(MULTIPART_DEFAULTS) as (keyof ResolvedLimits)[]) {
    const value = Object.hasOwn(limits, key) ? limits[key] : undefined;
    if (value !== undefined) result[key] = value;
  }
  return result;
}

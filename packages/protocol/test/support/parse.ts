import { HttpClientError } from '@x/core';
import { ResponseParser, type ResponseParserOptions } from '../../src/index.js';

/** Everything a parse produced, with body chunks joined so any split compares equal. */
export interface ParseResult {
  interim: { status: number; headers: string[] }[];
  status: number | null;
  reason: string | null;
  httpVersion: string | null;
  headers: string[];
  framing: string | null;
  keepAlive: boolean | null;
  body: string;
  trailers: string[] | null;
  complete: boolean;
  /** Bytes left after the response completed. */
  rest: number;
  error: { code: string; rule: string | undefined; limit: unknown } | null;
}

/** Feeds `input` cut at `cuts` (sorted offsets) and optionally signals the end of input. */
export function parseWithCuts(
  input: Buffer,
  cuts: readonly number[],
  options: ResponseParserOptions & { method?: string; end?: boolean } = {},
): ParseResult {
  const result: ParseResult = {
    interim: [],
    status: null,
    reason: null,
    httpVersion: null,
    headers: [],
    framing: null,
    keepAlive: null,
    body: '',
    trailers: null,
    complete: false,
    rest: 0,
    error: null,
  };
  const parser = new ResponseParser(
    {
      onInterim: (head) => result.interim.push({ status: head.status, headers: head.rawHeaders }),
      onHead: (head) => {
        result.status = head.status;
        result.reason = head.reason;
        result.httpVersion = head.httpVersion;
        result.headers = head.rawHeaders;
        result.framing = head.framing.kind;
        result.keepAlive = head.framing.keepAlive;
      },
      onBody: (chunk) => {
        result.body += chunk.toString('latin1');
      },
      onTrailers: (raw) => {
        result.trailers = raw;
      },
      onComplete: () => {
        result.complete = true;
      },
    },
    options,
  );
  parser.reset(options.method ?? 'GET');
  const bounds = [0, ...cuts, input.length];
  try {
    for (let index = 0; index + 1 < bounds.length; index++) {
      const piece = input.subarray(bounds[index], bounds[index + 1]);
      if (piece.length === 0) continue;
      const used = parser.execute(piece);
      if (used < piece.length) {
        result.rest = input.length - (bounds[index] as number) - used;
        break;
      }
    }
    if (options.end && !result.complete) parser.finish();
  } catch (error) {
    if (!HttpClientError.is(error)) throw error;
    result.error = { code: error.code, rule: error.rule, limit: error.details.limit };
  }
  return result;
}

export function parseWhole(input: string | Buffer, options: Parameters<typeof parseWithCuts>[2] = {}) {
  return parseWithCuts(typeof input === 'string' ? Buffer.from(input, 'latin1') : input, [], options);
}

/** Every single split point and, for short inputs, every pair of split points. */
export function* splitPlans(length: number): Generator<number[]> {
  yield [];
  for (let first = 1; first < length; first++) yield [first];
  if (length <= 120) {
    for (let first = 1; first < length; first++) {
      for (let second = first + 1; second < length; second++) yield [first, second];
    }
  }
  // Byte by byte: the worst case for carried lines.
  yield Array.from({ length: Math.max(0, length - 1) }, (_, index) => index + 1);
}

import { type ResponseHead, ResponseParser } from '@x/protocol';

/**
 * Drives @x/protocol's `ResponseParser` over one buffer the way the
 * connection does per response: `reset(method)`, `execute(bytes)`, with the
 * head (status, reason, raw header strings) and body chunks delivered to
 * handlers. The counterpart of `llhttp-parser.ts`.
 */
export function createXResponseParser(): (bytes: Uint8Array) => {
  head: ResponseHead | null;
  trailers: string[];
  bodyBytes: number;
  complete: boolean;
} {
  let head: ResponseHead | null = null;
  let trailers: string[] = [];
  let bodyBytes = 0;
  let complete = false;
  const parser = new ResponseParser({
    onHead: (received) => {
      head = received;
    },
    onBody: (chunk) => {
      bodyBytes += chunk.length;
    },
    onTrailers: (raw) => {
      trailers = raw;
    },
    onComplete: () => {
      complete = true;
    },
  });
  return (bytes) => {
    head = null;
    trailers = [];
    bodyBytes = 0;
    complete = false;
    parser.reset('GET');
    parser.execute(bytes);
    return { head, trailers, bodyBytes, complete };
  };
}

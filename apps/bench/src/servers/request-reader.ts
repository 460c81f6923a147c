/**
 * The benchmark servers' request reader: just enough HTTP/1.1 to find where
 * each request ends (RFC 9112 §2.1: head ends at the empty line, then a
 * Content-Length body), including many pipelined requests in one read. It
 * is not a general server parser: our clients send well-formed requests, and
 * anything it does not expect (a chunked request body, an oversized head)
 * closes the connection instead of guessing.
 */

export interface ServerRequest {
  readonly method: string;
  /** The request target as sent (origin form: path and query). */
  readonly target: string;
  /** The client asked for the connection to close after this response (RFC 9112 §9.6). */
  readonly close: boolean;
  /** The If-None-Match field value, or null when the request carries none (RFC 9110 §13.1.2). */
  readonly ifNoneMatch: string | null;
}

export type ReadOutcome = { readonly ok: true; readonly requests: ServerRequest[] } | { readonly ok: false };

const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD_BYTES = 64 * 1024;
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)[ \t]*\r\n/i;
const CHUNKED = /\r\ntransfer-encoding:/i;
const CONNECTION_CLOSE = /\r\nconnection:[ \t]*close/i;
const IF_NONE_MATCH = /\r\nif-none-match:[ \t]*([^\r]*?)[ \t]*\r\n/i;

/** One per connection: feed it every chunk the socket reads. */
export class RequestReader {
  #pending: Buffer | null = null;
  #bodyRemaining = 0;

  push(chunk: Buffer): ReadOutcome {
    const buffer = this.#pending === null ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#pending = null;
    const requests: ServerRequest[] = [];
    let offset = 0;
    while (offset < buffer.length) {
      if (this.#bodyRemaining > 0) {
        const skip = Math.min(this.#bodyRemaining, buffer.length - offset);
        this.#bodyRemaining -= skip;
        offset += skip;
        continue;
      }
      const headEnd = buffer.indexOf(HEAD_END, offset);
      if (headEnd === -1) {
        if (buffer.length - offset > MAX_HEAD_BYTES) return { ok: false };
        this.#pending = buffer.subarray(offset);
        break;
      }
      const head = buffer.toString('latin1', offset, headEnd + 2);
      offset = headEnd + 4;
      const firstSpace = head.indexOf(' ');
      const secondSpace = head.indexOf(' ', firstSpace + 1);
      if (firstSpace <= 0 || secondSpace <= firstSpace) return { ok: false };
      if (CHUNKED.test(head)) return { ok: false };
      const length = CONTENT_LENGTH.exec(head);
      this.#bodyRemaining = length ? Number(length[1]) : 0;
      requests.push({
        method: head.slice(0, firstSpace),
        target: head.slice(firstSpace + 1, secondSpace),
        close: CONNECTION_CLOSE.test(head),
        ifNoneMatch: IF_NONE_MATCH.exec(head)?.[1] ?? null,
      });
    }
    return { ok: true, requests };
  }
}

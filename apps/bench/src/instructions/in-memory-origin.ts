import { Duplex } from 'node:stream';
import type { Connector } from '@x/core';

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');

/**
 * A connector whose "socket" is an in-memory origin: every request head
 * written to it (counted by its blank line, also when split across writes)
 * is answered with `response`, one microtask later, as a server on the same
 * machine would answer. Bodiless requests only (GET, HEAD): a request body
 * would be read as part of the next head. No kernel, no event loop turn per
 * byte: what is left to measure is the client's own work.
 */
export function inMemoryConnector(response: Buffer): Connector {
  return async () => {
    let tail = Buffer.alloc(0);
    const origin: Duplex = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        // The last three bytes of the previous write may start a blank line this one ends.
        const text = tail.length === 0 ? chunk : Buffer.concat([tail, chunk]);
        let heads = 0;
        let searchFrom = 0;
        for (let at = text.indexOf(HEAD_END); at !== -1; at = text.indexOf(HEAD_END, searchFrom)) {
          heads++;
          searchFrom = at + HEAD_END.length;
        }
        const keepFrom = Math.max(searchFrom, text.length - (HEAD_END.length - 1));
        tail = Buffer.from(text.subarray(keepFrom));
        for (let index = 0; index < heads; index++) queueMicrotask(() => origin.push(response));
        callback();
      },
      final(callback) {
        origin.push(null);
        callback();
      },
    });
    return origin;
  };
}

/** The small-get scenario's answer: a 12-byte body with the usual few fields. */
export const SMALL_RESPONSE = Buffer.from(
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n' +
    'Date: Tue, 24 Nov 2026 15:00:00 GMT\r\n\r\nhello world\n',
  'latin1',
);

import { createServer, type Server, type Socket } from 'node:net';
import { NOT_FOUND } from './canned-responses.js';
import { RequestReader, type ServerRequest } from './request-reader.js';
import { isMain, serveInChild } from './serve-in-child.js';
import {
  bodyPattern,
  type ChunkedResponse,
  chunkedResponse,
  downloadHead,
  streamParameters,
} from './stream-responses.js';

/** Size of each write of a large body: one preallocated buffer written again and again. */
const WRITE_BYTES = 256 * 1024;

/**
 * The server for body scenarios:
 * - `GET /download?bytes=N` streams N bytes with Content-Length, writing one
 *   preallocated buffer and waiting for 'drain' (memory stays flat however
 *   large N is, and a slow client slows the server instead of growing it);
 * - `GET /chunked?bytes=N&chunk=M` answers a pre-built chunked response with
 *   trailers (built once per size and cached).
 * Requests on one connection are answered in order, one at a time.
 */
export function createStreamServer(): Server {
  const pattern = bodyPattern(WRITE_BYTES);
  const chunked = new Map<string, ChunkedResponse>();

  async function answer(socket: Socket, request: ServerRequest): Promise<void> {
    const parameters = streamParameters(request.target);
    if (parameters?.path === '/download') {
      socket.write(downloadHead(parameters.bytes));
      let remaining = parameters.bytes;
      while (remaining > 0 && !socket.destroyed) {
        const size = Math.min(remaining, WRITE_BYTES);
        remaining -= size;
        if (!socket.write(size === WRITE_BYTES ? pattern : pattern.subarray(0, size))) await drained(socket);
      }
      return;
    }
    if (parameters?.path === '/chunked') {
      const key = `${parameters.bytes}/${parameters.chunk}`;
      let response = chunked.get(key);
      if (response === undefined) {
        response = chunkedResponse(parameters.bytes, parameters.chunk);
        chunked.set(key, response);
      }
      socket.write(response.bytes);
      return;
    }
    socket.write(NOT_FOUND);
  }

  return createServer({ noDelay: true }, (socket: Socket) => {
    const reader = new RequestReader();
    const queue: ServerRequest[] = [];
    let busy = false;
    const drainQueue = async () => {
      if (busy) return;
      busy = true;
      try {
        for (let request = queue.shift(); request !== undefined; request = queue.shift()) {
          await answer(socket, request);
          if (request.close) {
            socket.end();
            return;
          }
        }
      } finally {
        busy = false;
      }
    };
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      const outcome = reader.push(chunk);
      if (!outcome.ok) {
        socket.destroy();
        return;
      }
      queue.push(...outcome.requests);
      drainQueue().catch(() => socket.destroy());
    });
  });
}

/**
 * Resolves on 'drain' or 'close', removing both listeners either way (racing
 * two `events.once` would leave the loser's listeners behind on every wait).
 */
function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

if (isMain(import.meta.url)) serveInChild(createStreamServer());

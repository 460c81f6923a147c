import { createServer, type Server, type Socket } from 'node:net';
import { cannedAnswer, cannedRoutes, NOT_FOUND } from './canned-responses.js';
import { RequestReader } from './request-reader.js';
import { isMain, serveInChild } from './serve-in-child.js';

/**
 * The server for request-rate scenarios: a raw `net` server that answers
 * every request with a pre-built response buffer. All requests that arrive in
 * one read (pipelined or not) are answered with one corked batch of writes,
 * so the server does almost no work per request and is not the bottleneck.
 */
export function createCannedServer(): Server {
  const routes = cannedRoutes();
  const server = createServer({ noDelay: true }, (socket: Socket) => {
    const reader = new RequestReader();
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      const outcome = reader.push(chunk);
      if (!outcome.ok) {
        socket.destroy();
        return;
      }
      if (outcome.requests.length === 0) return;
      socket.cork();
      let close = false;
      for (const request of outcome.requests) {
        const questionMark = request.target.indexOf('?');
        const path = questionMark === -1 ? request.target : request.target.slice(0, questionMark);
        const found = routes.get(path);
        socket.write(found === undefined ? NOT_FOUND : cannedAnswer(found, request.ifNoneMatch));
        if (request.close) {
          close = true;
          break;
        }
      }
      socket.uncork();
      if (close) socket.end();
    });
  });
  return server;
}

if (isMain(import.meta.url)) serveInChild(createCannedServer());

import { type Duplex, duplexPair } from 'node:stream';
import { createRequest, type RequestInit } from '@x/core';
import { cleanupAfterEach } from '@x/test-support';
import { Http1Connection, type Http1ConnectionOptions } from '../../src/index.js';

/** A connection over an in-memory pipe, and the server end of that pipe. */
export function memoryConnection(options: Http1ConnectionOptions = {}) {
  const [client, server] = duplexPair();
  const connection = new Http1Connection(client, options);
  const received: Buffer[] = [];
  const waiters: (() => void)[] = [];
  server.on('data', (chunk: Buffer) => {
    received.push(chunk);
    for (const waiter of waiters.splice(0)) waiter();
  });
  const text = () => Buffer.concat(received).toString('latin1');
  return {
    connection,
    client,
    server,
    /** Everything the client wrote so far. */
    text,
    /** Waits until the client has written something that satisfies `predicate`. */
    async until(predicate: (written: string) => boolean): Promise<string> {
      while (!predicate(text())) await new Promise<void>((resolve) => waiters.push(resolve));
      return text();
    },
    reply(bytes: string | Buffer): void {
      server.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    },
  };
}

/**
 * An `open(options)` for a test file (call at module scope): memoryConnection,
 * with every connection it opened destroyed after each test.
 */
export function memoryConnectionsPerTest(): (
  options?: Http1ConnectionOptions,
) => ReturnType<typeof memoryConnection> {
  const cleanups = cleanupAfterEach();
  return (options = {}) => {
    const pipe = memoryConnection(options);
    cleanups.push(() => pipe.connection.destroy());
    return pipe;
  };
}

export function get(url = 'http://a.test/', init: Partial<RequestInit> = {}) {
  return createRequest({ url, ...init });
}

/** Count of complete "\r\n\r\n"-terminated request heads in `text`. */
export function heads(text: string): number {
  return text.split('\r\n\r\n').length - 1;
}

export function destroyed(stream: Duplex): boolean {
  return stream.destroyed;
}

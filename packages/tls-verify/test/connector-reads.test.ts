import { createServer, type Server } from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { type ConnectTarget, createRequest, type HttpResponse } from '@x/core';
import { Http1Connection } from '@x/protocol';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type TlsConnectorOptions, tlsConnector } from '../src/index.js';
import { createLeaf, createTestPki, type Issued, type TestPki } from './certs.js';

// A directly dialled connection reads decrypted bytes through @x/protocol's
// reused buffers (`tls.connect({ onread })`), so a body read with
// `body.views()` borrows a handful of buffers instead of one per read. Over a
// given base stream (a proxy tunnel) Node ignores `onread`: that socket has no
// read hook and its bodies arrive as owned chunks, still intact.

/** The brand @x/protocol's connection looks for (socket-reads.ts). */
const SOCKET_READS = Symbol.for('@x/protocol.socketReads.v1');

interface ReadHook {
  attach(sink: { onRead(bytes: Buffer, isPrivate: boolean): void; nextRead(): string }): void;
}

let pki: TestPki;
let leaf: Issued;
let origin: { server: Server; port: number };
const opened: Duplex[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  leaf = await createLeaf(pki.intermediate, { dns: ['localhost'] });
});

afterEach(async () => {
  for (const socket of opened.splice(0)) socket.destroy();
  origin.server.closeAllConnections();
  await new Promise<void>((resolve) => origin.server.close(() => resolve()));
});

const byteAt = (index: number) => (index * 13 + (index >> 10)) % 241;

/** An https origin on 127.0.0.1 answering GET /N with N pattern bytes. */
async function startOrigin(): Promise<void> {
  const server = createServer(
    { key: leaf.keyPem, cert: `${leaf.certPem}\n${pki.intermediate.certPem}` },
    (request, response) => {
      const length = Number((request.url ?? '/').slice(1));
      const body = Buffer.allocUnsafe(length);
      for (let index = 0; index < length; index++) body[index] = byteAt(index);
      response.writeHead(200, { 'content-length': length });
      response.end(body);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = { server, port: (server.address() as net.AddressInfo).port };
}

const target = (): ConnectTarget => ({
  scheme: 'https',
  host: '127.0.0.1',
  port: origin.port,
  servername: 'localhost',
});

async function connect(options: Partial<TlsConnectorOptions> = {}): Promise<Duplex> {
  const socket = await tlsConnector({ trust: { mode: 'replace', ca: pki.root.certPem }, ...options })(
    target(),
    {},
  );
  opened.push(socket);
  return socket;
}

/** Reads the body of GET /N through views: checks every byte, returns how many and the distinct buffers. */
async function viewsOf(socket: Duplex, length: number): Promise<{ bytes: number; buffers: number }> {
  const connection = new Http1Connection(socket);
  const response: HttpResponse = await connection.request(
    createRequest({ url: `https://localhost:${origin.port}/${length}` }),
  );
  let offset = 0;
  const buffers = new Set<ArrayBufferLike>();
  for await (const view of response.body.views()) {
    buffers.add(view.buffer);
    for (let index = 0; index < view.byteLength; index++, offset++) {
      if (view[index] !== byteAt(offset)) throw new Error(`byte ${offset} is ${view[index]}`);
    }
  }
  await connection.close();
  return { bytes: offset, buffers: buffers.size };
}

describe('tlsConnector reads into reused buffers', () => {
  it('a direct connection reads every decrypted byte through the read hook; views share a handful of buffers', async () => {
    await startOrigin();
    const socket = await connect();
    const hook = (socket as unknown as Record<symbol, ReadHook | undefined>)[SOCKET_READS];
    if (hook === undefined) throw new Error('no read hook on a directly dialled socket');
    let hooked = 0;
    const attach = hook.attach.bind(hook);
    hook.attach = (sink) =>
      attach({
        onRead: (bytes, isPrivate) => {
          hooked += bytes.length;
          sink.onRead(bytes, isPrivate);
        },
        nextRead: () => sink.nextRead(),
      });
    const size = 4 * 1024 * 1024;
    const read = await viewsOf(socket, size);
    expect(read.bytes).toBe(size);
    // The head and the body: all of it came through onread (a 'data' socket has no hook at all).
    expect(hooked).toBeGreaterThan(size);
    // Some 260 reads of one TLS record each, in a handful of lent buffers.
    expect(read.buffers).toBeLessThanOrEqual(8);
  });

  it('reuseReadBuffers: false reads with data events, one buffer per read', async () => {
    await startOrigin();
    const socket = await connect({ reuseReadBuffers: false });
    expect(Object.getOwnPropertySymbols(socket)).not.toContain(SOCKET_READS);
    const read = await viewsOf(socket, 1_000_000);
    expect(read.bytes).toBe(1_000_000);
    expect(read.buffers).toBeGreaterThan(20);
  });

  it('an inherited reuseReadBuffers changes nothing (SECURITY.md rule 4)', async () => {
    await startOrigin();
    const polluted = Object.prototype as Record<string, unknown>;
    polluted.reuseReadBuffers = false;
    let socket: Duplex;
    try {
      socket = await connect();
    } finally {
      delete polluted.reuseReadBuffers;
    }
    expect(Object.getOwnPropertySymbols(socket)).toContain(SOCKET_READS);
  });

  it('over a given base stream there is no read hook, and bodies still arrive intact', async () => {
    await startOrigin();
    const connect = (): Promise<Duplex> =>
      new Promise((resolve, reject) => {
        const base = net.connect({ host: '127.0.0.1', port: origin.port });
        base.once('connect', () => resolve(base));
        base.once('error', reject);
      });
    const socket = await tlsConnector({ trust: { mode: 'replace', ca: pki.root.certPem }, connect })(
      target(),
      {},
    );
    opened.push(socket);
    expect(Object.getOwnPropertySymbols(socket)).not.toContain(SOCKET_READS);
    const read = await viewsOf(socket, 1_000_000);
    expect(read.bytes).toBe(1_000_000);
  });
});

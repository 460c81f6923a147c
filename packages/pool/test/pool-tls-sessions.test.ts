import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createRequest } from '@x/core';
import { selfSignedCertificate } from '@x/test-support';
import { createSessionCache, tlsConnector } from '@x/tls-verify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../src/index.js';

/**
 * TLS session resumption across the connections of one pool, seen from the
 * server, and never across verification policies (issue: tls-verify +
 * pool). A certificate for 127.0.0.1 is made per run with the openssl CLI.
 */
describe('pool over @x/tls-verify', () => {
  let key = '';
  let cert = '';
  let otherCert = '';

  beforeAll(() => {
    const loopback = { commonName: '127.0.0.1', subjectAltName: 'IP:127.0.0.1' };
    ({ key, cert } = selfSignedCertificate(loopback));
    otherCert = selfSignedCertificate(loopback).cert;
  });

  async function withServer(run: (origin: string, resumed: boolean[]) => Promise<void>) {
    const resumed: boolean[] = [];
    const sockets = new Set<Socket>();
    const server: Server = createServer({ key, cert, keepAliveTimeout: 30_000 }, (_request, response) => {
      response.end('ok');
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      resumed.push(socket.isSessionReused());
    });
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await run(`https://127.0.0.1:${(server.address() as AddressInfo).port}/`, resumed);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  async function getText(pool: Pool, url: string): Promise<string> {
    const response = await pool.request(createRequest({ url }));
    return response.body.text();
  }

  it('resumes the TLS session on the pool’s next connection to the same origin', async () => {
    await withServer(async (origin, resumed) => {
      const pool = createPool({
        connector: tlsConnector({ trust: { mode: 'replace', ca: cert } }),
        maxRequestsPerConnection: 1,
      });
      try {
        for (let i = 0; i < 3; i++) expect(await getText(pool, origin)).toBe('ok');
      } finally {
        await pool.destroy();
      }
      expect(resumed).toHaveLength(3);
      expect(resumed[0]).toBe(false);
      expect(resumed.slice(1)).toContain(true);
    });
  });

  it('never resumes a session made under another policy, even from a shared session cache', async () => {
    await withServer(async (origin, resumed) => {
      const sessionCache = createSessionCache();
      const trusting = createPool({
        connector: tlsConnector({ trust: { mode: 'replace', ca: cert }, sessionCache }),
      });
      const otherPolicy = createPool({
        connector: tlsConnector({ trust: { mode: 'replace', ca: `${cert}\n${otherCert}` }, sessionCache }),
      });
      try {
        expect(await getText(trusting, origin)).toBe('ok');
        await trusting.destroy();
        expect(await getText(otherPolicy, origin)).toBe('ok');
      } finally {
        await trusting.destroy();
        await otherPolicy.destroy();
      }
      expect(resumed).toEqual([false, false]);
    });
  });
});

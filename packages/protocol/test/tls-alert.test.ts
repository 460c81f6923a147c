import { once } from 'node:events';
import type { Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { createRequest, HttpClientError } from '@x/core';
import { cleanupAfterEach, selfSignedCertificate } from '@x/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { Http1Connection, tlsConnector } from '../src/index.js';
import { isTlsStreamError, tlsStreamError } from '../src/socket-errors.js';

const cleanups = cleanupAfterEach();

let key = '';
let cert = '';

beforeAll(() => {
  ({ key, cert } = selfSignedCertificate({ commonName: 'localhost', subjectAltName: 'DNS:localhost' }));
});

/** A TLS 1.3 server that requires a client certificate signed by its own CA (which we never present). */
async function mutualTlsServer() {
  const sockets = new Set<Socket>();
  let secured = 0;
  let applicationBytes = 0;
  const server = createTlsServer(
    {
      key,
      cert,
      ca: [cert],
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.3',
      ALPNProtocols: ['http/1.1'],
    },
    (socket: TLSSocket) => {
      secured++;
      socket.on('data', (chunk: Buffer) => {
        applicationBytes += chunk.length;
      });
      socket.on('error', () => undefined);
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    secured: () => secured,
    applicationBytes: () => applicationBytes,
  };
}

describe('a TLS 1.3 client-certificate refusal arriving on the stream', () => {
  it('is TLS_FAILED (handshake-alert), not sent, the alert kept as cause', async () => {
    const server = await mutualTlsServer();
    // The client's handshake completes before the server has judged its (missing) certificate.
    const socket = await tlsConnector({ ca: cert })(
      { scheme: 'https', host: '127.0.0.1', port: server.port, servername: 'localhost' },
      {},
    );
    expect((socket as TLSSocket).getProtocol()).toBe('TLSv1.3');
    const connection = new Http1Connection(socket);
    cleanups.push(() => connection.destroy());
    const error = await connection
      .request(createRequest({ method: 'POST', url: `https://localhost:${server.port}/`, body: 'hello' }))
      .then(
        () => null,
        (failure: unknown) => failure,
      );
    expect(HttpClientError.is(error, 'TLS_FAILED')).toBe(true);
    const failure = error as HttpClientError;
    expect(failure.requestSent).toBe(false);
    expect(failure.details.check).toBe('handshake-alert');
    expect(String(failure.details.reasonCode)).toContain('ALERT');
    expect((failure.cause as { code?: string }).code).toBe(failure.details.reasonCode);
    expect(failure).toMatchObject({ method: 'POST', url: `https://localhost:${server.port}/` });
    const info = await connection.whenClosed();
    expect(info.error?.code).toBe('TLS_FAILED');
    // Seen from the server: the handshake never completed, so no request byte reached HTTP.
    expect(server.secured()).toBe(0);
    expect(server.applicationBytes()).toBe(0);
  });
});

describe('tlsStreamError', () => {
  const request = createRequest({ url: 'https://a.test/' });
  const alert = (code: string) => Object.assign(new Error(code), { code });

  it('recognises alerts and OpenSSL / node:tls codes, not plain socket errors', () => {
    expect(isTlsStreamError(alert('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'))).toBe(true);
    expect(isTlsStreamError(alert('ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC'))).toBe(true);
    expect(isTlsStreamError(alert('ERR_TLS_CERT_ALTNAME_INVALID'))).toBe(true);
    expect(isTlsStreamError(alert('ECONNRESET'))).toBe(false);
    expect(isTlsStreamError(new Error('no code'))).toBe(false);
  });

  it('says not sent only for a handshake refusal before any byte arrived', () => {
    const refusal = alert('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE');
    expect(tlsStreamError(refusal, request, true, false).requestSent).toBe(false);
    // Something arrived: the server had finished its handshake and may have read the request.
    expect(tlsStreamError(refusal, request, true, true).requestSent).toBe(true);
    // Not a refusal of the handshake: the exchange's own answer.
    expect(
      tlsStreamError(alert('ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC'), request, true, false).requestSent,
    ).toBe(true);
    expect(
      tlsStreamError(alert('ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC'), request, false, false).requestSent,
    ).toBe(false);
  });
});

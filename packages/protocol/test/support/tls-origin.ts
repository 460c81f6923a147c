import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import { selfSignedCertificate } from '@x/test-support';

/**
 * An https origin on 127.0.0.1 that speaks bytes the test chooses. Each
 * accepted TCP socket is wrapped in a server TLSSocket by hand, so a test can
 * end the TLS session cleanly (close_notify, then FIN) or drop the TCP
 * connection under it (RST, no close_notify).
 */
export interface TlsOrigin {
  readonly url: string;
  /** PEM of the self-signed certificate (localhost and 127.0.0.1), for the client's trust. */
  readonly ca: string;
  /** TCP connections accepted so far. */
  readonly accepted: number;
  /** Ends every open TLS session with close_notify. */
  closeNotify(): void;
  /** Resets every open TCP connection without a TLS alert. */
  reset(): void;
  /** Resolves once every server-side socket has closed (what "no leaked socket" means). */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

/** Answers one request (its target) on a secured socket; requests on a connection come in order. */
export type TlsAnswer = (socket: TLSSocket, target: string) => void;

let certificate: { key: string; cert: string } | undefined;

export async function tlsOrigin(answer: TlsAnswer): Promise<TlsOrigin> {
  certificate ??= selfSignedCertificate({
    commonName: 'localhost',
    subjectAltName: 'DNS:localhost,IP:127.0.0.1',
  });
  const context = createSecureContext(certificate);
  const sessions = new Map<Socket, TLSSocket>();
  let accepted = 0;
  const server: Server = createServer((raw) => {
    accepted++;
    // Each write its own segment at once: a test's two records must not wait on a delayed ACK.
    raw.setNoDelay(true);
    const secure = new TLSSocket(raw, { isServer: true, secureContext: context });
    sessions.set(raw, secure);
    raw.on('close', () => sessions.delete(raw));
    raw.on('error', () => undefined);
    secure.on('error', () => undefined);
    let pending = '';
    secure.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end !== -1; end = pending.indexOf('\r\n\r\n')) {
        const target = pending.slice(0, end).split(' ')[1] ?? '/';
        pending = pending.slice(end + 4);
        answer(secure, target);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `https://127.0.0.1:${port}`,
    ca: certificate.cert,
    get accepted() {
      return accepted;
    },
    closeNotify: () => {
      for (const secure of sessions.values()) secure.end();
    },
    reset: () => {
      for (const raw of sessions.keys()) raw.resetAndDestroy();
    },
    async allClosed() {
      while (sessions.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    },
    async close() {
      for (const raw of sessions.keys()) raw.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Byte i of every pattern body: no shifted, repeated or overwritten read reproduces it. */
export const patternByte = (index: number): number => (index * 29 + (index >> 11)) % 253;

/** `length` pattern bytes starting at byte `start`. */
export function patternBytes(start: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  for (let index = 0; index < length; index++) bytes[index] = patternByte(start + index);
  return bytes;
}

/** Throws at the first byte of `bytes` that is not the pattern from `offset`; returns the offset after them. */
export function checkPattern(bytes: Uint8Array, offset: number): number {
  for (let index = 0; index < bytes.byteLength; index++) {
    const expected = patternByte(offset + index);
    if (bytes[index] !== expected)
      throw new Error(`byte ${offset + index} is ${bytes[index]}, not ${expected}`);
  }
  return offset + bytes.byteLength;
}

/** Writes `length` pattern bytes from `start` in 64 KiB pieces, waiting for `'drain'` when told to. */
export function writePattern(socket: TLSSocket, start: number, length: number): void {
  let offset = 0;
  const pump = () => {
    while (offset < length && !socket.destroyed) {
      const size = Math.min(64 * 1024, length - offset);
      const more = socket.write(patternBytes(start + offset, size));
      offset += size;
      if (!more) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { type Clock, type ConnectTarget, HttpClientError, systemClock } from '@x/core';
import { proxyFailure } from './errors.js';
import type { ProxyEndpoint } from './proxy-endpoint.js';
import {
  type Decoded,
  decodeCredentialsStatus,
  decodeMethodChoice,
  decodeReply,
  encodeConnect,
  encodeCredentials,
  encodeGreeting,
  SOCKS_NO_AUTH,
  SOCKS_USERNAME_PASSWORD,
  type SocksAddress,
  socksReplyMeaning,
} from './socks5-handshake.js';

/** Name resolution for `socks5:` (the client resolves); `dns.promises.lookup` fits. */
export type SocksLookup = (
  hostname: string,
) => Promise<{ readonly address: string; readonly family: number }>;

export interface SocksTunnelOptions {
  readonly signal?: AbortSignal | undefined;
  /** Deadline for the handshake, ms; none when undefined (proxyConnector bounds the whole connect). */
  readonly timeout?: number | undefined;
  readonly clock?: Clock | undefined;
}

type Stage = 'socks-method' | 'socks-auth' | 'socks-connect';

/**
 * What the proxy is asked to connect to: IP literals as addresses; names
 * sent as names to a `socks5h:` proxy (it resolves them), resolved here
 * with `lookup` for a `socks5:` proxy. DNS_FAILED when the name does not
 * resolve; ABORTED when `signal` fires first.
 */
export async function socksDestination(
  target: Pick<ConnectTarget, 'host'>,
  proxy: ProxyEndpoint,
  lookup: SocksLookup,
  signal: AbortSignal | undefined,
): Promise<SocksAddress> {
  const literal = addressOf(target.host);
  if (literal !== undefined) return literal;
  if (proxy.socks?.remoteDns === true) {
    // Checked before the proxy is dialled: RFC 1928 §5 gives the name one length byte.
    if (Buffer.byteLength(target.host) > 255) {
      throw new HttpClientError(
        'INVALID_REQUEST',
        'The host name is too long to send to a SOCKS proxy (255 bytes)',
        {
          requestSent: false,
          details: { proxy: proxy.url },
        },
      );
    }
    return { type: 'domain', name: target.host };
  }
  if (signal?.aborted) throw aborted(signal);
  let found: { address: string };
  try {
    found = await raceAbort(lookup(target.host), signal);
  } catch (error) {
    if (HttpClientError.is(error)) throw error;
    const systemCode = (error as { code?: unknown } | null)?.code;
    throw new HttpClientError('DNS_FAILED', `Could not resolve ${target.host} for SOCKS proxy ${proxy.url}`, {
      requestSent: false,
      cause: error,
      details: {
        host: target.host,
        proxy: proxy.url,
        systemCode: typeof systemCode === 'string' ? systemCode : undefined,
      },
    });
  }
  const resolved = addressOf(found.address);
  if (resolved === undefined)
    throw new HttpClientError('DNS_FAILED', `Lookup of ${target.host} gave no address`, {
      requestSent: false,
      details: { host: target.host, proxy: proxy.url },
    });
  return resolved;
}

/**
 * Runs the SOCKS5 handshake on `stream` (connected to `proxy`): greeting,
 * username/password when the proxy asks for it, then CONNECT to
 * `destination`:`port`. Resolves with the same stream, now a byte pipe to
 * the destination (bytes the proxy sent past its reply are put back).
 * Anything else — a refusal, bytes that break RFC 1928/1929, a close, an
 * error, the deadline, an abort — destroys the stream, leaves no listener
 * or timer, and rejects: PROXY_FAILED, TIMEOUT (phase connect) or ABORTED.
 */
export function openSocksTunnel(
  stream: Duplex,
  destination: SocksAddress,
  port: number,
  proxy: ProxyEndpoint,
  options: SocksTunnelOptions = {},
): Promise<Duplex> {
  const credentials = proxy.socks?.credentials;
  const offered = credentials === undefined ? [SOCKS_NO_AUTH] : [SOCKS_NO_AUTH, SOCKS_USERNAME_PASSWORD];
  const target = `${destinationHost(destination)}:${port}`;
  const details = { proxy: proxy.url, target };
  const signal = options.signal;
  return new Promise<Duplex>((resolve, reject) => {
    let received = Buffer.alloc(0);
    let stage: Stage = 'socks-method';
    const timer =
      options.timeout === undefined
        ? null
        : (options.clock ?? systemClock()).setTimer(
            () =>
              fail(
                new HttpClientError(
                  'TIMEOUT',
                  `SOCKS proxy ${proxy.url} did not answer within ${options.timeout} ms`,
                  {
                    requestSent: false,
                    phase: 'connect',
                    details: { ...details, stage },
                  },
                ),
              ),
            options.timeout,
          );
    const cleanup = () => {
      timer?.cancel();
      stream.off('data', onData);
      stream.off('end', onClose);
      stream.off('close', onClose);
      stream.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: HttpClientError) => {
      cleanup();
      stream.on('error', () => undefined);
      stream.destroy();
      reject(error);
    };
    const broken = (problem: string, cause?: unknown) =>
      fail(
        proxyFailure(`SOCKS proxy ${proxy.url} failed (${stage}): ${problem}`, { ...details, stage }, cause),
      );
    /** Takes one message off the front of `received`, or reports why it cannot. */
    const take = <T>(decoded: Decoded<T>): T | undefined => {
      if (decoded.status === 'incomplete') return undefined;
      if (decoded.status === 'invalid') {
        broken(decoded.problem);
        return undefined;
      }
      received = received.subarray(decoded.length);
      return decoded.value;
    };
    const advance = () => {
      if (stage === 'socks-method') {
        const method = take(decodeMethodChoice(received, offered));
        if (method === undefined) return;
        if (method === SOCKS_USERNAME_PASSWORD && credentials !== undefined) {
          stage = 'socks-auth';
          stream.write(encodeCredentials(credentials.username, credentials.password));
        } else {
          stage = 'socks-connect';
          stream.write(connectRequest);
        }
      }
      if (stage === 'socks-auth') {
        const accepted = take(decodeCredentialsStatus(received));
        if (accepted === undefined) return;
        if (!accepted) {
          fail(proxyFailure(`SOCKS proxy ${proxy.url}: SOCKS credentials refused`, { ...details, stage }));
          return;
        }
        stage = 'socks-connect';
        stream.write(connectRequest);
      }
      const reply = take(decodeReply(received));
      if (reply === undefined) return;
      if (reply.code !== 0) {
        const meaning = socksReplyMeaning(reply.code);
        fail(
          proxyFailure(
            `SOCKS proxy ${proxy.url} refused CONNECT ${target}: ${meaning} (reply ${reply.code})`,
            {
              ...details,
              stage,
              socksReply: { code: reply.code, meaning },
            },
          ),
        );
        return;
      }
      cleanup();
      stream.pause();
      // Bytes past the reply are the destination's (a server-first protocol).
      if (received.length > 0) stream.unshift(received);
      resolve(stream);
    };
    const onData = (chunk: Buffer) => {
      received = received.length === 0 ? Buffer.from(chunk) : Buffer.concat([received, chunk]);
      advance();
    };
    const onClose = () => broken('the proxy closed the connection during the handshake');
    const onError = (error: Error) => broken('the connection to the proxy failed', error);
    const onAbort = () => fail(aborted(signal as AbortSignal));
    let connectRequest: Buffer;
    try {
      connectRequest = encodeConnect(destination, port);
    } catch (error) {
      fail(error as HttpClientError);
      return;
    }
    if (signal?.aborted) {
      onAbort();
      return;
    }
    if (stream.destroyed) {
      broken('the connection to the proxy was already closed');
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', onData);
    stream.once('end', onClose);
    stream.once('close', onClose);
    stream.on('error', onError);
    stream.write(encodeGreeting(offered));
  });
}

function destinationHost(destination: SocksAddress): string {
  if (destination.type === 'domain') return destination.name;
  return destination.type === 'ipv6' ? `[${destination.address}]` : destination.address;
}

function addressOf(host: string): SocksAddress | undefined {
  const family = isIP(host);
  if (family === 4) return { type: 'ipv4', address: host };
  if (family === 6) return { type: 'ipv6', address: host };
  return undefined;
}

function aborted(signal: AbortSignal): HttpClientError {
  return new HttpClientError('ABORTED', 'The connect was aborted', {
    requestSent: false,
    cause: signal.reason,
  });
}

/** `promise`, or ABORTED as soon as `signal` fires (the lookup itself cannot be cancelled). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

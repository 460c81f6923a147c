import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import {
  abortError,
  type Clock,
  type ConnectOptions,
  type Connector,
  type ConnectTarget,
  HttpClientError,
  isIpLiteral,
  setConnectionMeta,
  systemClock,
  type Timer,
} from '@x/core';
import { type ReadBufferOptions, type SocketReadsFactory, socketReadsFactory } from '@x/protocol';
import { type CertificateSummary, summarizeCertificate } from './certificate-summary.js';
import {
  closedError,
  connectTimeoutError,
  notHttpsError,
  socketError,
  type Where,
} from './connect-errors.js';
import { tlsFailure } from './errors.js';
import { earliestExpiry, peerChain, verifyErrorCode } from './peer-chain.js';
import type { PinRule } from './pins.js';
import { normalizePolicy, policyKey, type TlsPolicy } from './policy.js';
import { createPolicySecureContext } from './secure-context.js';
import {
  createSessionCache,
  sessionKey,
  type TlsSessionCache,
  type TlsSessionEntry,
} from './session-cache.js';
import type { TlsMeta } from './tls-meta.js';
import { decideVerdict } from './verdict.js';

export interface TlsConnectorOptions extends TlsPolicy, ReadBufferOptions {
  /** Deadline for TCP plus TLS in ms when the caller gives no `timeout`. Default 30 000. */
  readonly connectTimeout?: number | undefined;
  /** Deadline for the TLS handshake alone, from TCP connect, in ms. Default 10 000. */
  readonly handshakeTimeout?: number | undefined;
  /**
   * Where verified sessions are kept for resumption. Default: a cache owned by
   * this connector. `false` turns resumption off. A cache shared between
   * connectors never crosses policies (the key includes `policyKey`).
   */
  readonly sessionCache?: TlsSessionCache | false | undefined;
  /** Default `systemClock()`; a `clock` in ConnectOptions wins. */
  readonly clock?: Clock | undefined;
  /**
   * Makes the stream TLS runs over, instead of a TCP connection to the
   * target: e.g. an HTTP CONNECT tunnel through a proxy (`@x/proxy`). It
   * gets the target (TLS still verifies and sends SNI for the target, not for
   * whatever the stream reaches first) and this attempt's signal, remaining
   * deadline and clock; it must reject with an HttpClientError or resolve with
   * a connected stream. Default: `tls.connect` dials `target.host:target.port`
   * itself. Over a given stream, decrypted bytes arrive as `'data'` events
   * (Node ignores `onread` with `tls.connect({ socket })`), so
   * `reuseReadBuffers` applies to the direct case only.
   */
  readonly connect?: ((target: ConnectTarget, options: ConnectOptions) => Promise<Duplex>) | undefined;
}

/** A Connector for https: targets that also says which policy it enforces. */
export interface TlsConnector extends Connector {
  /** Include this in a pool's connection key (SECURITY.md rule 15). */
  readonly policyKey: string;
  readonly sessionCache: TlsSessionCache | undefined;
}

interface Setup {
  readonly policyKey: string;
  readonly secureContext: tls.SecureContext;
  readonly insecure: boolean;
  readonly pins: readonly PinRule[];
  readonly cache: TlsSessionCache | undefined;
  readonly clock: Clock;
  readonly connectTimeout: number;
  readonly handshakeTimeout: number;
  readonly baseConnect: ((target: ConnectTarget, options: ConnectOptions) => Promise<Duplex>) | undefined;
  /** Read buffers of directly dialled sockets (`@x/protocol`'s, so `body.views()` can borrow them). */
  readonly readsFor: SocketReadsFactory;
}

/**
 * The TLS Connector. Resolves only after its own verdict passed (OpenSSL's
 * chain result for the policy's trust store, the RFC 9525 hostname match,
 * pins) or after a resumption of a session that this connector stored under
 * the same policy and origin; before that no application byte can be
 * written. Rejects with TLS_FAILED naming the check, or CONNECT_FAILED,
 * DNS_FAILED, TIMEOUT (phase "connect") or ABORTED, always with
 * `requestSent: false` and no socket or timer left behind.
 */
export function tlsConnector(options: TlsConnectorOptions = {}): TlsConnector {
  const policy = normalizePolicy(options);
  const ownOption = (key: keyof TlsConnectorOptions): unknown =>
    Object.hasOwn(options, key) ? options[key] : undefined;
  const cacheOption = ownOption('sessionCache') as TlsSessionCache | false | undefined;
  const clock = (ownOption('clock') as Clock | undefined) ?? systemClock();
  const setup: Setup = {
    policyKey: policyKey(policy),
    secureContext: createPolicySecureContext(policy),
    insecure: policy.insecureSkipVerify,
    pins: policy.pins,
    cache: cacheOption === false ? undefined : (cacheOption ?? createSessionCache({ clock })),
    clock,
    connectTimeout: positive(ownOption('connectTimeout'), 'connectTimeout', 30_000),
    handshakeTimeout: positive(ownOption('handshakeTimeout'), 'handshakeTimeout', 10_000),
    baseConnect: baseConnectOption(ownOption('connect')),
    readsFor: socketReadsFactory({
      reuseReadBuffers: ownOption('reuseReadBuffers') as boolean | undefined,
      readBufferSize: ownOption('readBufferSize') as number | undefined,
    }),
  };
  const connector = (target: ConnectTarget, connectOptions: ConnectOptions = {}) =>
    connect(setup, target, connectOptions);
  return Object.assign(connector, { policyKey: setup.policyKey, sessionCache: setup.cache });
}

function connect(setup: Setup, target: ConnectTarget, options: ConnectOptions): Promise<Duplex> {
  return new Promise<Duplex>((resolve, reject) => {
    const signal = options.signal;
    if (target.scheme !== 'https') {
      reject(notHttpsError({ host: target.host, port: target.port, servername: undefined }));
      return;
    }
    if (signal?.aborted) {
      reject(abortError(signal, { requestSent: false }));
      return;
    }
    const clock = options.clock ?? setup.clock;
    const ipTarget = isIpLiteral(target.host);
    const name = target.servername ?? (ipTarget ? undefined : target.host.replace(/\.$/, ''));
    const reference = name ?? target.host;
    // SNI only for names, never for IP literals (RFC 6066 §3), even when one is given as servername.
    const servername = name !== undefined && !isIpLiteral(name) ? name : undefined;
    const alpn = target.alpn ?? ['http/1.1'];
    const where: Where = { host: target.host, port: target.port, servername };
    const key = sessionKey(setup.policyKey, target, alpn);
    const offered = setup.cache?.get(key);

    let settled = false;
    let verified = false;
    // TCP is up (or the base stream arrived): failures from here on are TLS failures.
    let handshakeStarted = false;
    let pendingSession: Uint8Array | undefined;
    let storeEntry: Omit<TlsSessionEntry, 'session'> | undefined;
    let secure: tls.TLSSocket | undefined;
    // The stream under TLS when `options.connect` made it (tls.connect dials otherwise).
    let baseStream: Duplex | undefined;
    let baseAttempt: AbortController | undefined;
    const timers: Timer[] = [];

    const storeSession = (session: Uint8Array) => {
      if (setup.cache === undefined) return;
      if (!verified || storeEntry === undefined) {
        pendingSession = session;
        return;
      }
      setup.cache.set(key, { ...storeEntry, session });
    };
    const cleanup = () => {
      for (const timer of timers) timer.cancel();
      signal?.removeEventListener('abort', onAbort);
      baseAttempt?.abort();
      baseStream?.off('error', onError);
      secure?.off('connect', onDialled);
      secure?.off('secureConnect', onSecureConnect);
      secure?.off('error', onError);
      secure?.off('close', onClose);
    };
    const fail = (error: HttpClientError) => {
      if (settled) return;
      settled = true;
      cleanup();
      secure?.off('session', storeSession);
      // Listeners stay so a late socket error after destroy cannot become an uncaught exception.
      baseStream?.on('error', ignore);
      secure?.on('error', ignore);
      secure?.destroy();
      baseStream?.destroy();
      reject(error);
    };
    const timeout = (stage: 'connect' | 'tls-handshake', ms: number) => () =>
      fail(connectTimeoutError(where, stage, ms));
    const onAbort = () => {
      if (signal !== undefined) fail(abortError(signal, { requestSent: false }));
    };
    const onError = (error: Error) => fail(socketError(where, error, handshakeStarted));
    const onClose = () => fail(closedError(where, handshakeStarted));

    const onSecureConnect = () => {
      if (settled || secure === undefined) return;
      const socket = secure;
      const resumed = socket.isSessionReused();
      let chain: readonly CertificateSummary[];
      let matchedName: string | undefined;
      let matchedPin: string | undefined;
      if (resumed && offered !== undefined) {
        // Resumption proves the server holds the secret of a session we stored
        // after a full verdict under this policy for this origin; Node shows no
        // peer certificate here, so the stored verdict is reported.
        ({ chain, matchedName, matchedPin } = offered);
      } else {
        const chainDer = peerChain(socket);
        chain = chainDer.map(summarizeCertificate);
        if (!setup.insecure) {
          const verdict = decideVerdict({
            authorized: socket.authorized,
            verifyErrorCode: verifyErrorCode(socket.authorizationError as unknown),
            chain: chainDer,
            reference,
            pins: setup.pins,
          });
          if (!verdict.ok) {
            fail(
              tlsFailure(verdict.check, verdict.reason, {
                ...where,
                chain,
                reasonCode: verdict.reasonCode,
                ...verdict.extra,
              }),
            );
            return;
          }
          matchedName = verdict.matchedName;
          matchedPin = verdict.matchedPin;
        }
      }
      const cipher = socket.getCipher();
      const meta: TlsMeta = {
        protocol: socket.getProtocol() ?? undefined,
        alpnProtocol: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : undefined,
        cipher: cipher?.standardName ?? cipher?.name,
        resumed,
        verification: setup.insecure ? 'skipped' : 'verified',
        servername,
        matchedName,
        matchedPin,
        peerChain: chain,
        policyKey: setup.policyKey,
      };
      setConnectionMeta(socket, { tls: meta });
      verified = true;
      storeEntry = { chain, matchedName, matchedPin, expiresAt: earliestExpiry(chain) };
      if (pendingSession !== undefined) storeSession(pendingSession);
      settled = true;
      cleanup();
      resolve(socket);
    };

    const startHandshakeTimer = () => {
      handshakeStarted = true;
      timers.push(clock.setTimer(timeout('tls-handshake', setup.handshakeTimeout), setup.handshakeTimeout));
    };
    // A TLSSocket that dials emits 'connect' once TCP is up, then starts the handshake.
    const onDialled = () => {
      if (settled || secure === undefined) return;
      secure.setNoDelay(true);
      startHandshakeTimer();
    };
    /** TLS to the target with our context and verdict, over `dial`: `{ socket }` or `{ port, onread }`. */
    const startTls = (dial: tls.ConnectionOptions): tls.TLSSocket => {
      const socket = tls.connect({
        ...dial,
        host: target.host,
        ...(servername === undefined ? {} : { servername }),
        ALPNProtocols: [...alpn],
        secureContext: setup.secureContext,
        // The verdict is ours (see verdict.ts); Node's would accept CN-only and partial wildcards.
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
        ...(offered === undefined ? {} : { session: Buffer.from(offered.session) }),
      });
      secure = socket;
      socket.on('session', storeSession);
      socket.once('secureConnect', onSecureConnect);
      socket.on('error', onError);
      socket.once('close', onClose);
      return socket;
    };

    const total = options.timeout ?? setup.connectTimeout;
    timers.push(clock.setTimer(timeout('connect', total), total));
    signal?.addEventListener('abort', onAbort, { once: true });
    if (setup.baseConnect === undefined) {
      // tls.connect dials itself, so it honours `onread` (it ignores it with `socket:`): decrypted
      // bytes land in @x/protocol's reused buffers and `body.views()` can borrow them.
      const reads = setup.readsFor();
      const socket = startTls({
        port: target.port,
        ...(reads === undefined ? {} : { onread: reads.onread }),
      });
      reads?.bind(socket);
      socket.once('connect', onDialled);
    } else {
      // The base stream arrives connected; our deadline, abort and cleanup still govern it.
      const attempt = new AbortController();
      baseAttempt = attempt;
      let base: Promise<Duplex>;
      try {
        base = setup.baseConnect(target, { signal: attempt.signal, timeout: total, clock });
      } catch (error) {
        base = Promise.reject(error);
      }
      base.then(
        (stream) => {
          if (settled) {
            stream.on('error', ignore);
            stream.destroy();
            return;
          }
          baseAttempt = undefined;
          baseStream = stream;
          stream.on('error', onError);
          startHandshakeTimer();
          startTls({ socket: stream });
        },
        (error: unknown) => {
          if (settled) return;
          fail(
            HttpClientError.is(error)
              ? error
              : socketError(where, error instanceof Error ? error : new Error(String(error)), false),
          );
        },
      );
    }
  });
}

function baseConnectOption(value: unknown): Setup['baseConnect'] {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return value as Setup['baseConnect'];
  throw new HttpClientError('INVALID_REQUEST', 'Invalid TLS connector option: connect must be a function', {
    requestSent: false,
    details: { option: 'connect' },
  });
}

function positive(value: unknown, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw new HttpClientError(
    'INVALID_REQUEST',
    `Invalid TLS connector option: ${option} must be a positive number`,
    {
      requestSent: false,
      details: { option },
    },
  );
}

function ignore(): void {}

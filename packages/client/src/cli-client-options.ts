import { readFile } from 'node:fs/promises';
import { createFsStore } from '@x/cache';
import { type CookieJar, loadCookieJar } from '@x/cookies';
import { HttpClientError, type HttpRequest } from '@x/core';
import type { RedirectOptions } from '@x/redirect';
import type { TlsConnectorOptions } from '@x/tls-verify';
import type { CliOptions } from './cli-options.js';
import { cliInputError } from './cli-request-error.js';
import { verboseHeads } from './cli-verbose.js';
import type { CreateClientOptions } from './create-client.js';

/** The client an `x-http` run uses, and the jar to save when it is done. */
export interface CliClientSetup {
  readonly options: CreateClientOptions;
  /** The --cookie-jar jar, loaded; undefined without --cookie-jar. */
  readonly jar: CookieJar | undefined;
}

/**
 * createClient options from the command line. Files (--cacert,
 * --cookie-jar) are read here; one that cannot be read or parsed is
 * INVALID_REQUEST (exit 2) before anything is sent. `writeVerbose` receives
 * the -v output.
 */
export async function cliClientSetup(
  options: CliOptions,
  writeVerbose: (text: string) => void,
  onRedirect: (next: HttpRequest) => void = () => undefined,
): Promise<CliClientSetup> {
  const result: CreateClientOptions = {
    timeout: {
      ...(options.timeout === undefined ? {} : { total: options.timeout * 1000 }),
      ...(options.connectTimeout === undefined ? {} : { connect: options.connectTimeout * 1000 }),
    },
    redirect: options.follow ? redirectOptions(options, onRedirect) : false,
    retry: options.retries === 0 ? false : { maxRetries: options.retries },
  };
  if (!options.decode) result.decode = false;
  // The CLI is one user: a private cache (RFC 9111 §3.5).
  if (options.cacheDirectory !== undefined) {
    result.cache = { store: createFsStore({ directory: options.cacheDirectory }), shared: false };
  }
  const tls = await tlsOptions(options);
  if (tls !== undefined) result.tls = tls;
  if (options.proxyEnvironment) {
    // The library reads HTTP_PROXY & co. only when asked, once, in createClient.
    result.proxy = 'environment';
  } else if (options.proxy !== undefined) {
    // curl's -x: one proxy for both schemes (http: forwarded, https: through CONNECT).
    result.proxy = { http: options.proxy, https: options.proxy, noProxy: options.noProxy };
    // --proxy-cacert: trusted for the https:// proxy's own certificate, in addition to Node's roots.
    if (options.proxyCaFile !== undefined)
      result.proxy = { ...result.proxy, proxyCa: await readPemFile(options.proxyCaFile, '--proxy-cacert') };
  }
  let jar: CookieJar | undefined;
  if (options.cookieJar !== undefined) {
    try {
      jar = await loadCookieJar(options.cookieJar);
    } catch (error) {
      const reason = HttpClientError.is(error) ? error.message : String(error);
      throw cliInputError(`--cookie-jar: ${reason}`, error);
    }
    result.cookies = jar;
  }
  if (options.verbose) {
    // Innermost, directly over the pool: every hop and attempt is shown (see cli-verbose.ts).
    const tap = verboseHeads(writeVerbose);
    result.layers = (defaults) => [tap, ...defaults];
  }
  return { options: result, jar };
}

/** The redirect layer's settings; its hook refuses what --pin cannot cover and reports each hop followed. */
function redirectOptions(options: CliOptions, onRedirect: (next: HttpRequest) => void): RedirectOptions {
  // Pins are for the URL's host. A hop to another host would reach a
  // server no pin covers, so it is refused (REDIRECT_REFUSED), as curl's
  // --pinnedpubkey, which applies to every host, would fail it.
  const pinnedHost = options.pins.length > 0 ? new URL(options.url).hostname.toLowerCase() : undefined;
  return {
    maxRedirects: options.maxRedirects,
    onRedirect: (hop) => {
      if (pinnedHost !== undefined && hop.next.url.hostname.toLowerCase() !== pinnedHost) return 'refuse';
      onRedirect(hop.next);
      return undefined;
    },
  };
}

async function tlsOptions(options: CliOptions): Promise<TlsConnectorOptions | undefined> {
  const tls: { -readonly [K in keyof TlsConnectorOptions]: TlsConnectorOptions[K] } = {};
  if (options.caFile !== undefined) {
    tls.trust = { mode: 'extend', ca: await readPemFile(options.caFile, '--cacert') };
  }
  if (options.pins.length > 0) {
    // The connector matches pins against the host without IPv6 brackets (connectTargetFor).
    const host = new URL(options.url).hostname.replace(/^\[(.*)\]$/, '$1');
    tls.pins = [{ host, pins: options.pins }];
  }
  return tls.trust === undefined && tls.pins === undefined ? undefined : tls;
}

async function readPemFile(path: string, option: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw cliInputError(`${option}: cannot read ${path}: ${(cause as Error).message}`, cause);
  }
}

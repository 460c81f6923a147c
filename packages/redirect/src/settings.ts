import { HttpClientError, type HttpRequest } from '@x/core';
import { asciiLower, isToken } from '@x/headers';
import type { RedirectMode, RedirectOptions, RedirectSettings } from './types.js';

/** The settings in force for one request: layer defaults, then the request's own. */
export interface ResolvedSettings {
  readonly mode: RedirectMode;
  readonly maxRedirects: number;
  readonly preserveMethod: boolean;
  readonly allowDowngrade: boolean;
  /** Lower-cased names removed on a cross-origin hop, the built-in three included. */
  readonly sensitiveHeaders: ReadonlySet<string>;
  readonly bufferBody: number;
  readonly detectLoops: boolean;
}

/** The Fetch standard's redirect limit, which browsers share. */
export const DEFAULT_MAX_REDIRECTS = 20;

/**
 * Credentials that must never follow a request to another origin (SECURITY.md
 * rule 22). Proxy-Authorization is for the proxy of the first hop, not for
 * whatever a server points us at.
 */
export const ALWAYS_SENSITIVE: readonly string[] = ['authorization', 'proxy-authorization', 'cookie'];

const MODES: readonly string[] = ['follow', 'manual', 'error'];

/**
 * Reads an options object by own properties only, so a polluted
 * Object.prototype cannot switch redirects on, off or to another mode
 * (SECURITY.md rule 4).
 */
function own<T extends object, K extends keyof T>(object: T | undefined, key: K): T[K] | undefined {
  if (object === undefined || object === null || typeof object !== 'object') return undefined;
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Validates the layer's options once, when the layer is built. */
export function resolveLayerSettings(options: RedirectOptions | undefined): ResolvedSettings {
  return merge(BASE, options, undefined);
}

/** The settings for one request: its `options.redirect` over the layer's. */
export function resolveRequestSettings(layer: ResolvedSettings, request: HttpRequest): ResolvedSettings {
  const perRequest = own(request.options, 'redirect');
  if (perRequest === undefined) return layer;
  return merge(layer, perRequest, request);
}

const BASE: ResolvedSettings = {
  mode: 'follow',
  maxRedirects: DEFAULT_MAX_REDIRECTS,
  preserveMethod: false,
  allowDowngrade: false,
  sensitiveHeaders: new Set(ALWAYS_SENSITIVE),
  bufferBody: 0,
  detectLoops: true,
};

function merge(
  base: ResolvedSettings,
  settings: RedirectSettings | undefined,
  request: HttpRequest | undefined,
): ResolvedSettings {
  if (settings === undefined) return base;
  if (settings === null || typeof settings !== 'object') {
    throw invalid('redirect options must be an object', request);
  }
  const mode = own(settings, 'mode') ?? base.mode;
  if (!MODES.includes(mode))
    throw invalid(`redirect mode ${JSON.stringify(mode)} is not one of ${MODES.join(', ')}`, request);
  const maxRedirects = own(settings, 'maxRedirects') ?? base.maxRedirects;
  if (!Number.isSafeInteger(maxRedirects) || maxRedirects < 0) {
    throw invalid(`maxRedirects must be a non-negative integer, not ${String(maxRedirects)}`, request);
  }
  const bufferBody = own(settings, 'bufferBody') ?? base.bufferBody;
  if (!Number.isSafeInteger(bufferBody) || bufferBody < 0) {
    throw invalid(`bufferBody must be a non-negative integer, not ${String(bufferBody)}`, request);
  }
  return {
    mode,
    maxRedirects,
    preserveMethod: flag(settings, 'preserveMethod', base.preserveMethod, request),
    allowDowngrade: flag(settings, 'allowDowngrade', base.allowDowngrade, request),
    sensitiveHeaders: sensitive(base.sensitiveHeaders, own(settings, 'sensitiveHeaders'), request),
    bufferBody,
    detectLoops: flag(settings, 'detectLoops', base.detectLoops, request),
  };
}

function flag(
  settings: RedirectSettings,
  key: 'preserveMethod' | 'allowDowngrade' | 'detectLoops',
  fallback: boolean,
  request: HttpRequest | undefined,
): boolean {
  const value = own(settings, key);
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(`${key} must be a boolean`, request);
  return value;
}

function sensitive(
  base: ReadonlySet<string>,
  extra: readonly string[] | undefined,
  request: HttpRequest | undefined,
): ReadonlySet<string> {
  if (extra === undefined) return base;
  if (!Array.isArray(extra)) throw invalid('sensitiveHeaders must be an array of header names', request);
  const names = new Set(base);
  for (const name of extra) {
    if (typeof name !== 'string' || !isToken(name)) {
      throw invalid(`sensitiveHeaders holds ${JSON.stringify(name)}, which is not a header name`, request);
    }
    names.add(asciiLower(name));
  }
  return names;
}

function invalid(message: string, request: HttpRequest | undefined): HttpClientError {
  return new HttpClientError('INVALID_REQUEST', `Invalid redirect options: ${message}`, {
    method: request?.method,
    url: request?.url,
    requestSent: false,
  });
}

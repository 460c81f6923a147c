import { advertisedAcceptEncoding } from '@x/decode';
import type { ClientOptions } from './client-options.js';
import { ownOptions } from './own-options.js';

/**
 * The Accept-Encoding field the client writes into its requests itself, or
 * undefined when it must leave that to the decode layer. Only with the
 * default layers as they are: no `layers` option, no cache, no cookie jar,
 * no `onRedirect` hook and no retry policy keyed on Accept-Encoding
 * (`idempotencyKeyHeader`, for the client or, per request, for that
 * request). Between the client and the decode layer there
 * are then only the deadline, redirect and retry layers, which neither
 * show request fields to anyone nor act on this one (a redirect hop keeps
 * it, as it keeps any field that is not sensitive or about the body). The
 * decode layer finds the field present and passes the request on without
 * copying its header list; what goes on the wire is the same field, in the
 * same place (last), as the layer would have added. A request with
 * `options.decode: false` or its own Accept-Encoding gets none from the client.
 */
export function presetAcceptEncoding(options: ClientOptions): string | undefined {
  const own = ownOptions(options);
  if (own.decode === false || own.layers !== undefined || own.cache !== undefined) return undefined;
  if (own.cookies !== undefined && own.cookies !== false) return undefined;
  const redirect = own.redirect;
  if (typeof redirect === 'object' && redirect !== null && Object.hasOwn(redirect, 'onRedirect')) {
    return undefined;
  }
  // The retry layer reads one field: a policy whose idempotency key is
  // Accept-Encoding would treat every request as idempotent if it saw ours.
  if (keysOnAcceptEncoding(own.retry)) return undefined;
  return advertisedAcceptEncoding(ownOptions(own.decode)) ?? undefined;
}

/** True when retry options (a layer's or a request's) name Accept-Encoding as the idempotency key. */
export function keysOnAcceptEncoding(retry: unknown): boolean {
  if (typeof retry !== 'object' || retry === null || !Object.hasOwn(retry, 'idempotencyKeyHeader'))
    return false;
  const name = (retry as { idempotencyKeyHeader?: unknown }).idempotencyKeyHeader;
  return typeof name === 'string' && name.toLowerCase() === 'accept-encoding';
}

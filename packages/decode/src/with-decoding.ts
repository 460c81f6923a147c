import {
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  type Layer,
  ResponseBody,
  withRequestChanges,
  withResponseChanges,
} from '@x/core';
import { HeaderList } from '@x/headers';
import { ALL_CODINGS, acceptEncodingFor, type Coding, planDecoding } from './coding-plan.js';
import { type DecodeLimits, decodedSource } from './decoded-body.js';

declare module '@x/core' {
  interface ErrorCodes {
    /** The coded body is corrupt or truncated (zlib/brotli/zstd refused it). */
    DECODE_FAILED: true;
  }
  interface RequestOptions {
    /** `false`: send no Accept-Encoding of ours and hand the body over as it came. */
    decode?: false | Partial<DecodeLimits> | undefined;
  }
  interface ResponseMeta {
    /** Present when this layer undid content codings: the codings as the server listed them. */
    decoding?: { codings: readonly string[] } | undefined;
  }
}

export interface DecodingOptions extends Partial<DecodeLimits> {
  /** Codings to advertise and undo. Default: zstd, br, gzip, deflate. */
  codings?: readonly Coding[];
}

export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxDecodedBytes: 1024 * 1024 * 1024,
  maxRatio: 1000,
  ratioGraceBytes: 1024 * 1024,
});

/**
 * Content decoding as a layer: advertises the codings it can undo
 * (Accept-Encoding, unless the caller set one) and undoes whatever the
 * response applied, streaming and bounded.
 *
 * On a decoded response Content-Encoding and Content-Length are removed
 * (they described the coded bytes), the codings are recorded in
 * `meta.decoding`, and trailers pass through. Left untouched: responses
 * without a body (HEAD, 1xx, 204, 304), 206 partial content (a byte range
 * of a coded representation cannot be decoded alone), and codings this layer
 * does not know (the body is handed over coded, headers intact).
 */
export function withDecoding(inner: HttpTransport, options: DecodingOptions = {}): HttpTransport {
  // Own properties only (SECURITY.md rule 4): Object.prototype.codings or
  // .maxDecodedBytes set by a polluted dependency must not widen anything.
  const codings = codingsOf(options);
  const acceptEncoding = acceptEncodingFor(codings);
  // Checked once here rather than by append() on every request; a value that
  // fails the check (a caller's odd `codings`) keeps the checked per-request
  // path, so it still fails each request as before (SECURITY.md rule 1).
  const checkedAcceptEncoding = checkedFieldValue('Accept-Encoding', acceptEncoding);
  const baseLimits: Readonly<DecodeLimits> = Object.freeze(
    resolveDecodeLimits(DEFAULT_DECODE_LIMITS, options),
  );

  return {
    // Not async: the inner promise is handed on through one `then`, and a
    // bad per-request limit still ends in a rejection with nothing sent.
    request(request: HttpRequest): Promise<HttpResponse> {
      let outgoing: HttpRequest;
      let limits: Readonly<DecodeLimits>;
      try {
        const perRequest = Object.hasOwn(request.options, 'decode') ? request.options.decode : undefined;
        if (perRequest === false) return inner.request(request);
        limits = resolveDecodeLimits(baseLimits, perRequest, request);
        outgoing = request.headers.has('accept-encoding')
          ? request
          : withRequestChanges(request, {
              headers: withAcceptEncoding(request.headers, checkedAcceptEncoding, acceptEncoding),
            });
      } catch (error) {
        return Promise.reject(error);
      }
      return inner.request(outgoing).then((response) => decodeResponse(request, response, codings, limits));
    },
    close: () => inner.close(),
  };
}

/** The codings a layer with these options advertises and undoes, read by own property. */
function codingsOf(options: DecodingOptions): readonly Coding[] {
  return (Object.hasOwn(options, 'codings') ? options.codings : undefined) ?? ALL_CODINGS;
}

/**
 * The Accept-Encoding value `withDecoding(inner, options)` adds to a request
 * that has none, as it will be sent (checked and trimmed), or null when the
 * configured codings would not make a valid field value (the layer then
 * fails each such request instead). A client that builds its own requests
 * may put this field in up front: the layer finds it present and passes the
 * request on as it is, with no copy of the header list.
 */
export function advertisedAcceptEncoding(options: DecodingOptions = {}): string | null {
  return checkedFieldValue('Accept-Encoding', acceptEncodingFor(codingsOf(options)));
}

/**
 * A copy of `headers` with Accept-Encoding added at the end (the field is
 * absent, so appending is set()'s equal). With a value checked once, the
 * copy extends `headers` (HeaderList.extending): every other field comes
 * from a HeaderList, which validated it, so nothing is checked twice, the
 * new list's arrays are made at their final size, and the serializer's
 * checked lines of `headers`, when it has them, are reused.
 */
function withAcceptEncoding(headers: HeaderList, checked: string | null, value: string): HeaderList {
  if (checked === null) return headers.clone().append('Accept-Encoding', value);
  return HeaderList.extending(headers, ['Accept-Encoding', checked]);
}

/** The value as HeaderList would store it, or null when it would refuse it. */
function checkedFieldValue(name: string, value: string): string | null {
  try {
    return HeaderList.validate(name, value);
  } catch {
    return null;
  }
}

const LIMIT_KEYS = ['maxDecodedBytes', 'maxRatio', 'ratioGraceBytes'] as const;

/**
 * `given` over `base`, read by own properties. An undefined value keeps the
 * base; anything but a non-negative number (Infinity included, as an
 * explicit choice) is INVALID_REQUEST, because the checks compare with `>`
 * and `n > undefined` or `n > NaN` is always false: a limit that silently
 * turns into "no limit" (SECURITY.md rule 29).
 */
function resolveDecodeLimits(
  base: Readonly<DecodeLimits>,
  given: Partial<DecodeLimits> | undefined,
  request?: HttpRequest,
): Readonly<DecodeLimits> {
  // No per-request limits (the usual case): the layer's resolved limits,
  // which nothing mutates, serve every request without a copy.
  if (given === undefined || given === null) return base;
  const limits: DecodeLimits = { ...base };
  for (const key of LIMIT_KEYS) {
    if (!Object.hasOwn(given, key)) continue;
    const value: unknown = given[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
      throw new HttpClientError('INVALID_REQUEST', `Decoding limit ${key} must be a number >= 0`, {
        method: request?.method,
        url: request?.url,
        requestSent: false,
        details: { option: key },
      });
    }
    limits[key] = value;
  }
  return limits;
}

/** `compose(base, decoding())`. */
export function decoding(options?: DecodingOptions): Layer {
  return (inner) => withDecoding(inner, options);
}

function hasNoBody(request: HttpRequest, response: HttpResponse): boolean {
  return (
    request.method === 'HEAD' || response.status < 200 || response.status === 204 || response.status === 304
  );
}

function decodeResponse(
  request: HttpRequest,
  response: HttpResponse,
  codings: readonly Coding[],
  limits: Readonly<DecodeLimits>,
): HttpResponse {
  if (hasNoBody(request, response) || response.status === 206) return response;
  // Most responses carry no Content-Encoding: has() answers without making
  // the array getAll() would.
  if (!response.headers.has('content-encoding')) return response;
  const lines = response.headers.getAll('content-encoding');
  const plan = planDecoding(lines, codings);
  if (plan.kind === 'none' || plan.kind === 'unsupported') return response;
  if (plan.kind === 'too-many') {
    void response.body.cancel('too many content codings');
    throw new HttpClientError(
      'DECODE_FAILED',
      `Response applies ${plan.applied.length} content codings; at most 5 are accepted`,
      {
        method: request.method,
        url: request.url,
        details: { codings: plan.applied },
      },
    );
  }
  const headers = response.headers.clone();
  headers.delete('content-encoding');
  headers.delete('content-length');
  const source = decodedSource(response.body, plan.steps, limits, {
    method: request.method,
    url: request.url,
  });
  return withResponseChanges(response, {
    headers,
    body: new ResponseBody(source, {
      contentType: headers.get('content-type'),
      // The cap the caller set below applies to the decoded bytes too (SECURITY.md rule 20).
      bufferLimit: response.body.bufferLimit,
      method: request.method,
      url: response.url,
    }),
    meta: { ...response.meta, decoding: { codings: plan.applied } },
  });
}

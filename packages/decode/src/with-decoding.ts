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
  const codings = options.codings ?? ALL_CODINGS;
  const acceptEncoding = acceptEncodingFor(codings);
  const baseLimits: DecodeLimits = {
    maxDecodedBytes: options.maxDecodedBytes ?? DEFAULT_DECODE_LIMITS.maxDecodedBytes,
    maxRatio: options.maxRatio ?? DEFAULT_DECODE_LIMITS.maxRatio,
    ratioGraceBytes: options.ratioGraceBytes ?? DEFAULT_DECODE_LIMITS.ratioGraceBytes,
  };

  return {
    async request(request: HttpRequest): Promise<HttpResponse> {
      const perRequest = request.options.decode;
      if (perRequest === false) return inner.request(request);
      const outgoing = request.headers.has('accept-encoding')
        ? request
        : withRequestChanges(request, {
            headers: request.headers.clone().set('Accept-Encoding', acceptEncoding),
          });
      const response = await inner.request(outgoing);
      return decodeResponse(request, response, codings, { ...baseLimits, ...(perRequest ?? {}) });
    },
    close: () => inner.close(),
  };
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
  limits: DecodeLimits,
): HttpResponse {
  if (hasNoBody(request, response) || response.status === 206) return response;
  const lines = response.headers.getAll('content-encoding');
  if (lines.length === 0) return response;
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
      method: request.method,
      url: response.url,
    }),
    meta: { ...response.meta, decoding: { codings: plan.applied } },
  });
}

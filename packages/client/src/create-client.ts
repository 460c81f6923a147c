import { HttpClientError, type HttpRequest, type HttpResponse, type HttpTransport } from '@x/core';
import type { HeaderList } from '@x/headers';
import { presetAcceptEncoding } from './accept-encoding-preset.js';
import { type RangeRequest, type RangeResult, requestRange } from './byte-ranges.js';
import { type ClientOptions, DEFAULT_TIMEOUTS, toTimeoutOptions } from './client-options.js';
import {
  buildClientRequest,
  type ClientRequestInit,
  defaultFields,
  defaultRequestOptions,
  own as ownField,
  type RequestDefaults,
  requestHeaders,
} from './client-request.js';
import { buildDefaultStack } from './default-stack.js';
import { type DownloadOptions, type DownloadResult, downloadToFile } from './download-to-file.js';
import { ownOptions } from './own-options.js';
import { parseBaseUrl } from './request-url.js';
import { expectSuccess } from './status-error.js';
import { DEFAULT_USER_AGENT } from './user-agent.js';

/** A request without its URL and method, for the shorthands. */
export type ShorthandInit = Omit<ClientRequestInit, 'url' | 'method'>;

export interface Client {
  /** The composed stack; hand it to anything that takes an HttpTransport (toFetch, a layer). */
  readonly transport: HttpTransport;
  /**
   * Sends a request and resolves with the response head; the body streams
   * after. Any status is a response unless `throwOnStatus`.
   */
  request(init: ClientRequestInit): Promise<HttpResponse>;
  get(url: string | URL, init?: ShorthandInit): Promise<HttpResponse>;
  head(url: string | URL, init?: ShorthandInit): Promise<HttpResponse>;
  delete(url: string | URL, init?: ShorthandInit): Promise<HttpResponse>;
  post(url: string | URL, init?: ShorthandInit): Promise<HttpResponse>;
  put(url: string | URL, init?: ShorthandInit): Promise<HttpResponse>;
  patch(url: string | URL, init?: ShorthandInit): Promise<HttpResponse>;
  /**
   * Sends the request with `Accept: application/json`, rejects with
   * HTTP_STATUS unless the status is 2xx, and parses the body (bounded by
   * the body's buffer limit). A 204 or empty body gives undefined.
   */
  json<T = unknown>(init: ClientRequestInit): Promise<T>;
  /** `json()` for a GET. */
  getJson<T = unknown>(url: string | URL, init?: ShorthandInit): Promise<T>;
  /** Asks for byte ranges (RFC 9110 §14) and reads the answer as parts; see RangeResult. */
  range(url: string | URL, ranges: RangeRequest, init?: ShorthandInit): Promise<RangeResult>;
  /** Saves a resource to a file, resuming a broken transfer with Range + If-Range. */
  download(url: string | URL, path: string, options?: DownloadOptions): Promise<DownloadResult>;
  /** Refuses new requests, lets bodies in flight finish, then frees every socket and timer. */
  close(): Promise<void>;
}

export interface CreateClientOptions extends ClientOptions {
  /** Reject non-2xx responses with HTTP_STATUS in `request()` and the shorthands. Default false. */
  throwOnStatus?: boolean | undefined;
}

/**
 * The client most users want: the default stack (see `buildDefaultStack`)
 * behind an ergonomic API. Every part stays replaceable through options.
 */
export function createClient(options: CreateClientOptions = {}): Client {
  // Own properties only (SECURITY.md rule 4): an inherited baseUrl, headers
  // or transport changes nothing.
  const own = ownOptions(options);
  // Frozen: requests without a timeout of their own share this object.
  const timeout = Object.freeze({ ...DEFAULT_TIMEOUTS, ...toTimeoutOptions(own.timeout) });
  const headers = withUserAgent(requestHeaders(own.headers), own.userAgent);
  const acceptEncoding = headers.has('accept-encoding') ? undefined : presetAcceptEncoding(own);
  const defaults: RequestDefaults = {
    baseUrl: own.baseUrl === undefined ? undefined : parseBaseUrl(own.baseUrl),
    allowAbsoluteUrls: own.allowAbsoluteUrls === true,
    headers,
    timeout,
    options: defaultRequestOptions(timeout),
    acceptEncoding,
    headersWithAcceptEncoding:
      acceptEncoding === undefined ? undefined : headers.clone().append('Accept-Encoding', acceptEncoding),
    fields: defaultFields(headers),
  };
  const throwByDefault = own.throwOnStatus === true;
  const { transport } = buildDefaultStack(own);
  let closed = false;

  // Not async: without throwOnStatus (the default) the stack's promise is
  // returned as it is, with no extra async frame or promise per request.
  function request(init: ClientRequestInit): Promise<HttpResponse> {
    let built: HttpRequest;
    try {
      built = buildClientRequest(init, defaults);
    } catch (error) {
      return Promise.reject(error);
    }
    if (closed) {
      return Promise.reject(
        new HttpClientError('TRANSPORT_CLOSED', 'The client is closed', {
          method: built.method,
          url: built.url,
          requestSent: false,
        }),
      );
    }
    const given = ownField(init, 'throwOnStatus', init.throwOnStatus);
    // An own `throwOnStatus: undefined` turns the client's default off, as an own `false` does.
    const shouldThrow =
      given === undefined ? throwByDefault && !Object.hasOwn(init, 'throwOnStatus') : given === true;
    const sent = transport.request(built);
    return shouldThrow ? sent.then((response) => expectSuccess(response, built.method)) : sent;
  }

  const shorthand =
    (method: string) =>
    (url: string | URL, init: ShorthandInit = {}): Promise<HttpResponse> =>
      request({ ...init, url, method });

  async function json<T>(init: ClientRequestInit): Promise<T> {
    const headers = requestHeaders(Object.hasOwn(init, 'headers') ? init.headers : undefined, init.method);
    if (!headers.has('accept')) headers.append('Accept', 'application/json');
    const response = await request({ ...init, headers, throwOnStatus: true });
    const text = await response.body.text();
    if (response.status === 204 || text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new HttpClientError('INVALID_BODY', 'The response body is not valid JSON', {
        method: init.method ?? 'GET',
        url: response.url,
        cause,
      });
    }
  }

  const client: Client = {
    transport,
    request,
    get: shorthand('GET'),
    head: shorthand('HEAD'),
    delete: shorthand('DELETE'),
    post: shorthand('POST'),
    put: shorthand('PUT'),
    patch: shorthand('PATCH'),
    json,
    getJson: (url, init = {}) => json({ ...init, url, method: 'GET' }),
    range: (url, ranges, init = {}) => requestRange(client, url, ranges, init),
    download: (url, path, downloadOptions) => downloadToFile(client, url, path, downloadOptions),
    async close() {
      closed = true;
      await transport.close();
    },
  };
  return client;
}

/** Adds the default User-Agent unless the client's headers name one or it is switched off with null. */
function withUserAgent(headers: HeaderList, userAgent: string | null | undefined): HeaderList {
  if (userAgent === null || headers.has('user-agent')) return headers;
  if (userAgent !== undefined && typeof userAgent !== 'string') {
    throw new HttpClientError('INVALID_REQUEST', 'userAgent must be a string or null', {
      requestSent: false,
      details: { option: 'userAgent' },
    });
  }
  return requestHeaders([...headers, ['User-Agent', userAgent ?? DEFAULT_USER_AGENT]]);
}

import {
  type BodyInit,
  createRequest,
  HttpClientError,
  type HttpRequest,
  type HttpResponse,
  jsonBody,
  type RequestOptions,
  type TimeoutOptions,
  toRequestBody,
} from '@x/core';
import { type HeaderInit, HeaderList, InvalidHeaderError } from '@x/headers';
import { keysOnAcceptEncoding } from './accept-encoding-preset.js';
import { mergeTimeouts, type TimeoutInit, toTimeoutOptions } from './client-options.js';
import { formDataBody } from './form-data-body.js';
import { type QueryInit, resolveRequestUrl } from './request-url.js';

/** What `client.request()` takes. Everything but `url` is optional. */
export interface ClientRequestInit {
  /** Default GET. Sent as given (case kept), after checking it is a token. */
  method?: string | undefined;
  /** Absolute, or relative to the client's `baseUrl`. */
  url: string | URL;
  /** Appended to the URL's query: own properties only, arrays as repeated keys. */
  query?: QueryInit | undefined;
  /** Fields given here replace the client's default fields of the same name. */
  headers?: HeaderInit | undefined;
  /** Bytes, text, a Blob, URLSearchParams, FormData (multipart/form-data), a stream or a RequestBody. */
  body?: BodyInit | FormData | null | undefined;
  /** A value sent as JSON (`Content-Type: application/json`); exclusive with `body` and `form`. */
  json?: unknown;
  /** Fields and files sent as `multipart/form-data` (RFC 7578, see `formDataBody`); exclusive with `body` and `json`. */
  form?: FormData | undefined;
  signal?: AbortSignal | undefined;
  /** Deadlines for this request; a number is the total deadline. Phases not given keep the client's. */
  timeout?: TimeoutInit | undefined;
  /** Per-request options of the layers (`redirect`, `retry`, `cache`, `decode`...). */
  options?: RequestOptions | undefined;
  /** Reject with HTTP_STATUS when the status is not 2xx (default: the client's `throwOnStatus`, false). */
  throwOnStatus?: boolean | undefined;
}

/** Anything that sends a ClientRequestInit: the client, or a test's stand-in. */
export interface RequestSender {
  request(init: ClientRequestInit): Promise<HttpResponse>;
}

/** The client-wide settings `buildClientRequest` applies. */
export interface RequestDefaults {
  readonly baseUrl: URL | undefined;
  readonly allowAbsoluteUrls: boolean;
  readonly headers: HeaderList;
  readonly timeout: TimeoutOptions;
  /**
   * The options of a request that gives no `options` or `timeout` of its
   * own (see `defaultRequestOptions`), shared by all such requests.
   */
  readonly options?: RequestOptions | undefined;
  /**
   * Accept-Encoding to add last to a request that has none and does not
   * turn decoding off (see `presetAcceptEncoding`); undefined adds nothing.
   */
  readonly acceptEncoding?: string | undefined;
  /**
   * `headers` with `acceptEncoding` added last, made once: copied for a
   * request that adds nothing else. Given only when `acceptEncoding` is a
   * valid field value as it is (HeaderList kept it unchanged).
   */
  readonly headersWithAcceptEncoding?: HeaderList | undefined;
  /** `defaultFields(headers)`, made once; computed per request when absent. */
  readonly fields?: ClientFields | undefined;
}

/** A client's fields as `[name, value, ...]` and their lower-cased names, in order. */
export interface ClientFields {
  readonly raw: readonly string[];
  readonly keys: readonly string[];
}

/**
 * Turns a ClientRequestInit into a validated HttpRequest: URL resolved
 * against the base, query appended, default headers merged, a JSON body
 * or form encoded, Content-Type filled in from the body kind, timeouts merged.
 * Every problem is INVALID_REQUEST with `requestSent: false`.
 */
export function buildClientRequest(init: ClientRequestInit, defaults: RequestDefaults): HttpRequest {
  if (typeof init !== 'object' || init === null) {
    throw new HttpClientError('INVALID_REQUEST', 'request() needs an object with a url', {
      requestSent: false,
    });
  }
  const method = own(init, 'method', init.method) ?? 'GET';
  const input = own(init, 'url', init.url) as string | URL;
  const query = own(init, 'query', init.query);
  // Without a base URL or a query, createRequest's own (validating) copy of
  // the URL is the only parse; resolveRequestUrl would copy it once more.
  const target =
    defaults.baseUrl === undefined && query === undefined
      ? input
      : resolveRequestUrl(input, query, {
          baseUrl: defaults.baseUrl,
          allowAbsoluteUrls: defaults.allowAbsoluteUrls,
          method,
        });
  const signal = own(init, 'signal', init.signal);
  const options = requestOptions(init, defaults);
  const givenHeaders = own(init, 'headers', init.headers);
  const json = own(init, 'json', init.json);
  const hasJson = json !== undefined;
  const form = own(init, 'form', init.form);
  const rawBody = own(init, 'body', init.body);
  // The usual request: no body and no fields of its own. Its fields are the
  // client's (with Accept-Encoding when the client adds it), which
  // createRequest copies as it makes the request: nothing is added later,
  // so that request is the answer, with no second request object.
  if (
    !hasJson &&
    form === undefined &&
    (rawBody === undefined || rawBody === null) &&
    isEmpty(givenHeaders)
  ) {
    const fields =
      presetFor(defaults, options) === undefined ? defaults.headers : defaults.headersWithAcceptEncoding;
    if (fields !== undefined) return createRequest({ method, url: target, headers: fields, signal, options });
  }
  // Otherwise the request is made first with no headers or body: they are
  // checked below and swapped in at the end, as one header list built once.
  const bare = createRequest({ method, url: target, signal, options });
  const url = bare.url;
  // The request's own fields, validated (null when it gives none).
  let given: HeaderList | null;
  try {
    given = requestFields(givenHeaders);
  } catch (error) {
    throw invalidHeader(error, method, url);
  }
  const bodyKinds =
    Number(hasJson) + Number(form !== undefined) + Number(rawBody !== undefined && rawBody !== null);
  if (bodyKinds > 1) {
    throw new HttpClientError('INVALID_REQUEST', 'Give only one of body, json and form', {
      method,
      url,
      requestSent: false,
    });
  }
  let body: ReturnType<typeof toRequestBody>;
  try {
    if (hasJson) body = jsonBody(json);
    else if (form !== undefined) body = formDataBody(form);
    else if (rawBody === undefined || rawBody === null) body = null;
    else body = isFormData(rawBody) ? formDataBody(rawBody) : toRequestBody(rawBody);
  } catch (error) {
    if (HttpClientError.is(error)) throw error.withRequest(method, url, false);
    throw error;
  }
  // Fields the client adds. The merged list has a field when either side
  // has it: a client field is only left out when the request names it too.
  const added: string[] = [];
  const contentType = body?.contentType;
  if (contentType && !eitherHas(given, defaults.headers, 'content-type')) {
    try {
      // A custom RequestBody's contentType is caller input too (SECURITY.md rule 1).
      added.push('Content-Type', HeaderList.validate('Content-Type', contentType));
    } catch (error) {
      throw invalidHeader(error, method, url);
    }
  }
  if (hasJson && !eitherHas(given, defaults.headers, 'accept')) added.push('Accept', 'application/json');
  const acceptEncoding = presetFor(defaults, bare.options);
  if (acceptEncoding !== undefined && !eitherHas(given, defaults.headers, 'accept-encoding')) {
    // Last, where the decode layer would put it (the preset changes nothing on the wire).
    // A client that made headersWithAcceptEncoding has checked the value once already.
    if (defaults.headersWithAcceptEncoding !== undefined) added.push('Accept-Encoding', acceptEncoding);
    else {
      try {
        added.push('Accept-Encoding', HeaderList.validate('Accept-Encoding', acceptEncoding));
      } catch (error) {
        throw invalidHeader(error, method, url);
      }
    }
  }
  // What withRequestChanges(bare, { headers, body }) builds, without its
  // options check: bare.options already is createRequest's frozen,
  // null-prototype copy, which that check would hand back as it is.
  return Object.freeze({
    method: bare.method,
    url: bare.url,
    headers: mergedList(defaults, given, added),
    body,
    signal: bare.signal,
    options: bare.options,
  });
}

/**
 * The layer options with the merged timeouts, null-prototype and frozen:
 * the form createRequest keeps as is rather than copying it once more.
 */
function requestOptions(init: ClientRequestInit, defaults: RequestDefaults): RequestOptions {
  const givenOptions = own(init, 'options', init.options);
  const requestTimeout = own(init, 'timeout', init.timeout);
  // The usual request sets neither: building, copying and freezing the same
  // one-key object for each would cost more than all of a layer's work.
  if (givenOptions === undefined && requestTimeout === undefined && defaults.options !== undefined) {
    return defaults.options;
  }
  const clientTimeout = defaults.timeout;
  const layerOptions = givenOptions ?? {};
  const layerTimeout = Object.hasOwn(layerOptions, 'timeout') ? layerOptions.timeout : undefined;
  // Most requests set no timeout of their own: they share the client's
  // (frozen) defaults instead of merging two empty overrides into a copy.
  const timeout =
    layerTimeout === undefined && requestTimeout === undefined
      ? clientTimeout
      : mergeTimeouts(
          mergeTimeouts(clientTimeout, toTimeoutOptions(layerTimeout)),
          toTimeoutOptions(requestTimeout),
        );
  return Object.freeze(Object.assign(Object.create(null) as RequestOptions, layerOptions, { timeout }));
}

/**
 * The options for requests without their own: only the client's timeouts.
 * Made once per client as core's own frozen copy (the options of a request
 * that is built and never sent), which createRequest recognises with one
 * brand check and hands on without a copy; any other object, even a frozen
 * prototype-less one, costs it an `Object.isFrozen` call per request.
 */
export function defaultRequestOptions(timeout: TimeoutOptions): RequestOptions {
  return createRequest({
    url: 'http://options.invalid/',
    options: { timeout: Object.freeze({ ...timeout }) },
  }).options;
}

/**
 * A HeaderList from what a caller gave, with invalid names or values
 * (CR, LF, NUL, non-token names) as INVALID_REQUEST rather than the
 * headers package's InvalidHeaderError.
 */
export function requestHeaders(given: HeaderInit | undefined, method = 'GET'): HeaderList {
  try {
    return given instanceof HeaderList ? given.clone() : new HeaderList(given);
  } catch (error) {
    if (InvalidHeaderError.is(error)) {
      throw new HttpClientError('INVALID_REQUEST', error.message, {
        method,
        requestSent: false,
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * The fields a request gives, as a validated HeaderList, or null when it
 * gives none (nothing, an empty record, list or array). A given HeaderList
 * is only read, so it needs no copy; anything else is validated once, by
 * the HeaderList constructor.
 */
function requestFields(given: HeaderInit | undefined): HeaderList | null {
  if (isEmpty(given)) return null;
  const fields = given instanceof HeaderList ? given : new HeaderList(given);
  return fields.size === 0 ? null : fields;
}

/**
 * The request's header list: the client's fields, then the request's own,
 * then `added`. When the request names none of the client's fields, the
 * list extends the client's (HeaderList.extending), so the serializer's
 * checked lines of the client's fields, made once per client, serve every
 * request and only the fields after them are checked. Otherwise the
 * client's fields the request names are left out of a list made anew.
 */
function mergedList(defaults: RequestDefaults, given: HeaderList | null, added: string[]): HeaderList {
  if (given !== null) {
    const { keys: clientKeys } = defaults.fields ?? defaultFields(defaults.headers);
    for (let index = 0; index < clientKeys.length; index++) {
      if (given.has(clientKeys[index] as string))
        return HeaderList.fromRaw(mergedFields(defaults, given, added));
    }
  }
  if (given === null) return HeaderList.extending(defaults.headers, added);
  const own = given.toRaw();
  for (let index = 0; index < added.length; index++) own.push(added[index] as string);
  return HeaderList.extending(defaults.headers, own);
}

/**
 * The request's fields as one flat `[name, value, ...]` array for fromRaw
 * (RFC 9110 §5.3: names compare case-insensitively): the client's fields
 * the request does not name, then the request's, then `added`. Every name
 * and value in it was validated on its way into a HeaderList (or, for
 * `added`, just before), so nothing is checked twice and no intermediate
 * list is made. Filled by index loops: no iterator, no slice of the
 * client's (frozen) arrays.
 */
function mergedFields(defaults: RequestDefaults, given: HeaderList | null, added: string[]): string[] {
  const { raw: clientRaw, keys: clientKeys } = defaults.fields ?? defaultFields(defaults.headers);
  const raw: string[] = [];
  for (let index = 0; index < clientKeys.length; index++) {
    if (given?.has(clientKeys[index] as string)) continue;
    raw.push(clientRaw[2 * index] as string, clientRaw[2 * index + 1] as string);
  }
  if (given !== null) {
    const givenRaw = given.toRaw();
    for (let index = 0; index < givenRaw.length; index++) raw.push(givenRaw[index] as string);
  }
  for (let index = 0; index < added.length; index++) raw.push(added[index] as string);
  return raw;
}

/** Whether the merged list has `key` (lower case): the request's fields or the client's have it. */
function eitherHas(given: HeaderList | null, client: HeaderList, key: string): boolean {
  return given?.has(key) || client.has(key);
}

/** The client's fields as a flat array and their lower-cased names, made once per client. */
export function defaultFields(headers: HeaderList): ClientFields {
  const raw = headers.toRaw();
  const keys: string[] = [];
  for (let index = 0; index < raw.length; index += 2) keys.push((raw[index] as string).toLowerCase());
  return Object.freeze({ raw: Object.freeze(raw), keys: Object.freeze(keys) });
}

/**
 * The Accept-Encoding the client adds to this request: none when decoding
 * is off for it, or when its retry options would key idempotency on that
 * field (the retry layer above the decode layer would then see ours).
 * `options` is null-prototype (requestOptions), so plain reads see own keys only.
 */
function presetFor(defaults: RequestDefaults, options: RequestOptions): string | undefined {
  const value = defaults.acceptEncoding;
  if (value === undefined || options.decode === false) return undefined;
  return options.retry !== undefined && keysOnAcceptEncoding(options.retry) ? undefined : value;
}

/**
 * True when `given` makes an empty HeaderList, known without building one:
 * nothing, an empty list or array, or a record whose own enumerable values
 * are all undefined (the constructor skips those). Anything else, valid or
 * not, is left to the constructor.
 */
function isEmpty(given: HeaderInit | undefined): boolean {
  if (given === undefined || given === null) return true;
  if (given instanceof HeaderList) return given.size === 0;
  if (Array.isArray(given)) return given.length === 0;
  if (typeof given !== 'object' || typeof (given as Iterable<unknown>)[Symbol.iterator] === 'function') {
    return false;
  }
  const record = given as Readonly<Record<string, unknown>>;
  for (const name in record) if (Object.hasOwn(record, name) && record[name] !== undefined) return false;
  return true;
}

/** An InvalidHeaderError as INVALID_REQUEST with nothing sent; anything else as it is. */
function invalidHeader(error: unknown, method: string, url: URL): unknown {
  if (!InvalidHeaderError.is(error)) return error;
  return new HttpClientError('INVALID_REQUEST', error.message, {
    method,
    url,
    requestSent: false,
    cause: error,
  });
}

function isFormData(value: unknown): value is FormData {
  // Text and bytes, the usual bodies, are told apart without the prototype walk of instanceof.
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return false;
  return typeof FormData !== 'undefined' && value instanceof FormData;
}

/**
 * An option as an own property only (SECURITY.md rule 4): `value` is
 * `init[key]`, read by the caller with a plain property access. Most keys
 * are absent and read as undefined, which needs no ownership check; a value
 * that is there counts only if it is the init's own, so one a polluted
 * Object.prototype supplies is still ignored.
 */
export function own<K extends keyof ClientRequestInit>(
  init: ClientRequestInit,
  key: K,
  value: ClientRequestInit[K],
): ClientRequestInit[K] | undefined {
  return value === undefined || Object.hasOwn(init, key) ? value : undefined;
}

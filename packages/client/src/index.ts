export {
  type ByteRangeInit,
  type RangePart,
  type RangeRequest,
  type RangeResult,
  requestRange,
} from './byte-ranges.js';
export {
  type ClientOptions,
  DEFAULT_TIMEOUTS,
  mergeTimeouts,
  type NamedLayer,
  type TimeoutInit,
  toTimeoutOptions,
} from './client-options.js';
export {
  buildClientRequest,
  type ClientRequestInit,
  type RequestDefaults,
  type RequestSender,
} from './client-request.js';
export { type Client, type CreateClientOptions, createClient, type ShorthandInit } from './create-client.js';
export { presetAcceptEncoding } from './accept-encoding-preset.js';
export { buildDefaultStack, type DefaultStack, defaultLayers } from './default-stack.js';
export {
  chooseValidator,
  type DownloadOptions,
  type DownloadProgress,
  type DownloadResult,
  downloadToFile,
} from './download-to-file.js';
export { type FromFetchOptions, fromFetch } from './from-fetch.js';
export {
  type ByteRangePart,
  byterangesBoundary,
  MULTIPART_DEFAULTS,
  type MultipartLimits,
  parseMultipartByteranges,
} from './multipart-byteranges.js';
export {
  appendQuery,
  parseBaseUrl,
  type QueryInit,
  type QueryValue,
  resolveRequestUrl,
} from './request-url.js';
export { expectSuccess, isSuccessStatus, STATUS_ERROR_BODY_BYTES } from './status-error.js';
export { type FetchFunction, toFetch } from './to-fetch.js';
export { type TotalDeadlineOptions, totalDeadline, withTotalDeadline } from './total-deadline.js';
export {
  buildDefaultConnector,
  type DefaultConnector,
  type DefaultConnectorOptions,
} from './default-connector.js';
export { formDataBody } from './form-data-body.js';
export { type ClientProxyOptions, type ProxyOption, resolveProxyOption } from './proxy-settings.js';
export { DEFAULT_USER_AGENT } from './user-agent.js';

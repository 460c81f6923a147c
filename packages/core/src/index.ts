export { type Clock, createManualClock, type ManualClock, systemClock, type Timer } from './clock.js';
export {
  type ConnectOptions,
  type Connector,
  type ConnectTarget,
  connectTargetFor,
  getConnectionMeta,
  isIpLiteral,
  originKey,
  setConnectionMeta,
} from './connector.js';
export {
  abortError,
  type ErrorCode,
  type ErrorCodes,
  HttpClientError,
  type HttpClientErrorOptions,
  redactUrl,
  type TimeoutPhase,
  toHttpClientError,
} from './errors.js';
export {
  createMockTransport,
  type MockContext,
  type MockHandler,
  type MockReply,
  type MockTransport,
  type MockTransportOptions,
  type RecordedRequest,
} from './mock-transport.js';
export { createRequest, parseRequestUrl, type RequestInit, withRequestChanges } from './request.js';
export {
  type BodyInit,
  bytesBody,
  isRequestBody,
  jsonBody,
  type RequestBody,
  replayableBody,
  streamBody,
  textBody,
  toRequestBody,
} from './request-body.js';
export { createResponse, type ResponseBodyInit, type ResponseInit, withResponseChanges } from './response.js';
export {
  type BodySource,
  DEFAULT_BUFFER_LIMIT,
  ResponseBody,
  type ResponseBodyOptions,
  sourceFromIterable,
} from './response-body.js';
export {
  type ConnectionInfo,
  compose,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  type Layer,
  type RequestOptions,
  type ResponseMeta,
  type ResponseTimings,
  type TimeoutOptions,
} from './transport.js';

export { DEFAULT_DRAIN_ON_CANCEL, type DrainOnCancelOptions, type DrainSettings } from './body-drain.js';
export { type ChunkedHandlers, ChunkedDecoder } from './chunked-decoder.js';
export {
  type BodyKind,
  connectionIsPersistent,
  connectionTokens,
  decideFraming,
  type FramingDecision,
  type FramingInput,
  hasNoBody,
  keepAliveTimeoutHint,
  parseCodings,
  parseContentLength,
  type ResponseFraming,
} from './framing.js';
export {
  type ConnectionCloseInfo,
  Http1Connection,
  type Http1ConnectionEvents,
  type Http1ConnectionOptions,
  type Http1RequestContext,
} from './http1-connection.js';
export {
  createHttp1Transport,
  type Http1Transport,
  type Http1TransportOptions,
  schemeConnector,
} from './http1-transport.js';
export { type ConnectionTimeouts, DEFAULT_CONNECTION_TIMEOUTS } from './phase-timeouts.js';
export {
  DEFAULT_PARSER_LENIENCY,
  DEFAULT_PARSER_LIMITS,
  type ParserLeniency,
  type ParserLimits,
} from './limits.js';
export type { Http1RequestOptions, InformationalResponse, UpgradedConnection } from './request-options.js';
export {
  DEFAULT_READ_BUFFER_SIZE,
  type ReadBufferOptions,
  type SocketReadsBinding,
  type SocketReadsFactory,
  socketReadsFactory,
} from './read-buffers.js';
export {
  type ResponseHead,
  ResponseParser,
  type ResponseParserHandlers,
  type ResponseParserOptions,
  type ResponseParserState,
} from './response-parser.js';
export {
  type RequestFraming,
  requestTarget,
  type SerializedRequestHead,
  type SerializeOptions,
  serializeRequestHead,
} from './serializer.js';
export { DEFAULT_CONNECT_TIMEOUT, tcpConnector, type TcpConnectorOptions } from './tcp-connector.js';
export { tlsConnector, type TlsConnectorOptions } from './tls-connector.js';

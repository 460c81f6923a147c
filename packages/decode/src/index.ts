export {
  ALL_CODINGS,
  acceptEncodingFor,
  type Coding,
  type CodingPlan,
  MAX_CODINGS,
  planDecoding,
} from './coding-plan.js';
export type { DecodeLimits } from './decoded-body.js';
export {
  advertisedAcceptEncoding,
  DEFAULT_DECODE_LIMITS,
  type DecodingOptions,
  decoding,
  withDecoding,
} from './with-decoding.js';

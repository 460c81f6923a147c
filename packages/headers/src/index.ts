export { type HeaderInit, HeaderList, type PrefixValue } from './header-list.js';
export { InvalidHeaderError } from './invalid-header-error.js';
export { asciiLower, fieldValueProblem, isToken, isTokenChar, trimOws } from './syntax.js';
export { type Parsed, parsedInvalid, parsedOk } from './parsed.js';
// Structured fields, Link, Content-Disposition, authentication challenges
export { StructuredFieldError } from './structured-field-error.js';
export { getStructuredDictionary, getStructuredItem, getStructuredList } from './structured-field-headers.js';
export { parseDictionary, parseItem, parseList } from './structured-field-parser.js';
export {
  serializeBareItem,
  serializeDictionary,
  serializeItem,
  serializeKey,
  serializeList,
} from './structured-field-serializer.js';
export {
  type BareItem,
  Decimal,
  type Dictionary,
  DisplayString,
  type InnerList,
  type Item,
  innerList,
  isInnerList,
  item,
  type List,
  type Member,
  type Parameters,
  type ParametersInit,
  Token,
} from './structured-field-types.js';
export {
  type Challenge,
  findChallenge,
  getChallenges,
  parseChallenges,
} from './authentication-challenge.js';
export {
  basicAuthorization,
  bearerAuthorization,
  formatAuthorization,
  isToken68,
} from './authorization-credentials.js';
export {
  type ContentDisposition,
  type ContentDispositionOptions,
  formatContentDisposition,
  parseContentDisposition,
} from './content-disposition.js';
export { decodeExtValue, encodeExtValue, type ExtValue } from './ext-value.js';
export { findLinks, type Link, type LinkOptions, parseLink } from './link.js';
// Typed parsers: caching, conditionals, ranges, content negotiation
export { type CacheControl, cacheControl, parseCacheControl } from './cache-control.js';
export { type CacheControlInit, formatCacheControl } from './cache-control-format.js';
export {
  age,
  date,
  expires,
  lastModified,
  parseAge,
  parseExpires,
  parseRetryAfter,
  type RetryAfter,
  retryAfter,
  retryAfterDelay,
} from './date-fields.js';
export {
  type EntityTag,
  type EntityTagCondition,
  etag,
  formatEntityTag,
  formatEntityTagCondition,
  ifMatch,
  ifMatchPasses,
  ifNoneMatch,
  ifNoneMatchPasses,
  parseEntityTag,
  parseEntityTagCondition,
  strongMatch,
  weakMatch,
} from './entity-tag.js';
export { formatHttpDate, type HttpDateOptions, parseHttpDate } from './http-date.js';
export type { DroppedPart } from './value-scanner.js';
export { formatVary, parseVary, type Vary, vary } from './vary.js';
export {
  type ContentRange,
  contentRange,
  formatContentRange,
  parseContentRange,
} from './content-range.js';
export {
  charsetOf,
  contentType,
  essenceOf,
  formatMediaType,
  type MediaType,
  type MediaTypeInit,
  parseMediaType,
} from './media-type.js';
export type { MediaParametersInit } from './parameters.js';
export {
  type ByteRange,
  formatIfRange,
  formatRange,
  type IfRange,
  ifRange,
  ifRangePasses,
  parseIfRange,
  parseRange,
  type Range,
  type RangeResolution,
  type RangeSpec,
  type ResolveRangeOptions,
  range,
  resolveRange,
} from './range.js';
export {
  acceptRanges,
  connection,
  contentEncoding,
  formatKeepAlive,
  formatTokenList,
  type KeepAlive,
  keepAlive,
  parseAcceptRanges,
  parseKeepAlive,
  parseTokenList,
  type TokenList,
  transferEncoding,
} from './token-list.js';
export {
  type Accept,
  type AcceptEntry,
  type AcceptInit,
  accept,
  formatAccept,
  mediaTypeQuality,
  parseAccept,
  preferredMediaType,
} from './accept.js';
export {
  type AcceptEncoding,
  type AcceptEncodingEntry,
  acceptEncoding,
  encodingQuality,
  formatAcceptEncoding,
  parseAcceptEncoding,
  preferredEncoding,
} from './accept-encoding.js';
export {
  type AcceptLanguage,
  type AcceptLanguageEntry,
  acceptLanguage,
  formatAcceptLanguage,
  languageQuality,
  parseAcceptLanguage,
  preferredLanguage,
} from './accept-language.js';

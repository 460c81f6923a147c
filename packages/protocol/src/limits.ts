/**
 * Every size the peer controls has a bound (SECURITY.md rule 9). Exceeding
 * one is a LIMIT_EXCEEDED error whose `details.limit` is the key below; the
 * connection is never reused after it.
 */
export interface ParserLimits {
  /** Bytes of the status line, CRLF included. */
  maxStatusLineBytes: number;
  /** Bytes of the header section after the status line, final CRLF included. */
  maxHeaderBytes: number;
  /** Field lines in one header section. */
  maxHeaderCount: number;
  /** Bytes of one chunk-size line (size, extensions, CRLF): RFC 9112 §7.1.1 extensions are unbounded otherwise. */
  maxChunkLineBytes: number;
  /** Bytes of the trailer section (RFC 9112 §7.1.2). */
  maxTrailerBytes: number;
  /** Field lines in the trailer section. */
  maxTrailerCount: number;
  /** 1xx responses before the final one (RFC 9110 §15.2; Go stops at 5). */
  maxInterimResponses: number;
}

export const DEFAULT_PARSER_LIMITS: Readonly<ParserLimits> = Object.freeze({
  maxStatusLineBytes: 8 * 1024,
  maxHeaderBytes: 64 * 1024,
  maxHeaderCount: 100,
  maxChunkLineBytes: 16 * 1024,
  maxTrailerBytes: 16 * 1024,
  maxTrailerCount: 100,
  maxInterimResponses: 5,
});

/**
 * Parser choices where RFC 9112 lets a recipient be lenient. Both default to
 * strict (refuse) because lenient parsing is how smuggling starts: two
 * parsers that disagree on where a line ends disagree on the message.
 */
export interface ParserLeniency {
  /**
   * Accept a bare LF as a line terminator in the head and trailers
   * (RFC 9112 §2.2 "MAY"). Default false: `header-bare-lf`.
   */
  allowBareLf: boolean;
  /**
   * Unfold obs-fold continuation lines into one SP (RFC 9112 §5.2 lets a user
   * agent do this). Default false: `header-obs-fold`.
   */
  allowObsFold: boolean;
}

export const DEFAULT_PARSER_LENIENCY: Readonly<ParserLeniency> = Object.freeze({
  allowBareLf: false,
  allowObsFold: false,
});

/** Fills missing keys with defaults; only own, finite, non-negative numbers are taken. */
export function resolveLimits(given: Partial<ParserLimits> | undefined): ParserLimits {
  const limits: ParserLimits = { ...DEFAULT_PARSER_LIMITS };
  if (given === undefined) return limits;
  for (const key of Object.keys(DEFAULT_PARSER_LIMITS) as (keyof ParserLimits)[]) {
    if (!Object.hasOwn(given, key)) continue;
    const value = given[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) limits[key] = Math.floor(value);
  }
  return limits;
}

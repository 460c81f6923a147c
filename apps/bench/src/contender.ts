/**
 * The plug-in interface every HTTP client under test implements. A contender
 * only knows how to make one request and read its response the way a user of
 * that client would; the harness owns everything else (how many requests are
 * in flight, for how long, what is measured), so every client is driven by the
 * exact same loop and a new contender is one file in `src/contenders/`.
 */

/** How the response body is consumed, chosen by the scenario. */
export type ReadMode =
  /** Buffer the whole body with the client's usual "give me the bytes" API. */
  | 'bytes'
  /** Stream the body chunk by chunk and count it, never holding it whole (large downloads). */
  | 'stream'
  /** Decode the body as JSON with the client's own JSON API. */
  | 'json'
  /** Stream the body, then read the trailer fields (RFC 9112 §7.1.2). */
  | 'trailers';

/** One request, described once by the scenario and replayed by every contender. */
export interface HttpOperation {
  readonly method: 'GET' | 'POST';
  /** Path and query on the scenario's origin. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array<ArrayBuffer> | null;
  readonly read: ReadMode;
  /**
   * Exact bytes of the whole response on the wire (head and framing
   * included). Only the raw-socket ceiling uses it: it counts response ends
   * by length instead of parsing.
   */
  readonly responseBytes: number;
  /**
   * When true, the harness sends each request of a turn to its own URL (the
   * path plus `?entry=<n>`), so a cache stores one entry per request: the
   * cache-memory scenario. The canned server ignores the query.
   */
  readonly distinctUrls?: boolean | undefined;
}

/** What a contender saw, so the harness can check every response was complete. */
export interface OperationResult {
  readonly status: number;
  /** Body bytes received (for `json`: bytes of the decoded document's source, or -1 if the client hides them). */
  readonly bodyBytes: number;
  /** For `json`: the decoded value. */
  readonly json?: unknown;
  /** For `trailers`: the trailer fields, names lower-cased. */
  readonly trailers?: Readonly<Record<string, string>>;
}

/** What a scenario tells a contender when it sets up its client. */
export interface SetupOptions {
  /** `http://127.0.0.1:<port>` of the scenario's server. */
  readonly origin: URL;
  /** Most connections the client may open at once. */
  readonly connections: number;
  /** Requests allowed in flight on one connection (1 = no pipelining). */
  readonly pipelining: number;
  /** False: a new connection for every request, closed after the response. */
  readonly keepAlive: boolean;
  /** True when the client should answer repeated requests from its own cache. */
  readonly cache: boolean;
}

/** What a scenario needs from a client; contenders opt out of what they cannot do. */
export interface ScenarioTraits {
  readonly pipelining: number;
  readonly keepAlive: boolean;
  readonly read: ReadMode;
  readonly cache: boolean;
  /**
   * Each request moves so much data (the 1 GiB download) that opening a
   * connection for it costs well under 1 % of it: a client without
   * keep-alive is fair here too.
   */
  readonly bulk: boolean;
}

/** A client set up for one scenario. Must be safe to call concurrently. */
export interface ClientSession {
  request(operation: HttpOperation): Promise<OperationResult>;
  /** Frees every socket and timer; the harness always calls it. */
  close(): Promise<void>;
}

export interface Contender {
  /** Short, stable, kebab-case: used on the command line and in result files. */
  readonly name: string;
  /** One line for the report: which API, which options. */
  readonly description: string;
  /** True for the raw-socket ceiling: it parses nothing, so only its byte counts are checked. */
  readonly ceiling?: boolean;
  /**
   * False when the client cannot do what the scenario measures (e.g. fetch
   * exposes no trailers); such a contender is left out, not faked.
   */
  supports(traits: ScenarioTraits): boolean;
  setup(options: SetupOptions): Promise<ClientSession>;
}

/** Builds the request URL for an operation. */
export function operationUrl(origin: URL, operation: HttpOperation): URL {
  return new URL(operation.path, origin);
}

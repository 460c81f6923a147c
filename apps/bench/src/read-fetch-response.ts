import type { HttpOperation, OperationResult, ScenarioTraits } from './contender.js';

/**
 * Which scenarios a WHATWG fetch can run: fetch exposes no trailers, no way
 * to force a new connection per request, no pipelining, and no cache mode
 * comparable to the others.
 */
export function fetchSupports(traits: ScenarioTraits): boolean {
  return traits.pipelining === 1 && traits.read !== 'trailers' && traits.keepAlive && !traits.cache;
}

/** What both the platform's and undici's `Response` classes offer (their types differ nominally). */
export interface FetchResponseLike {
  readonly status: number;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
  readonly body: AsyncIterable<Uint8Array> | null;
}

/** Reads a WHATWG `Response` with fetch's own body API: json(), arrayBuffer(), stream iteration. */
export async function readFetchResponse(
  response: FetchResponseLike,
  operation: HttpOperation,
): Promise<OperationResult> {
  const status = response.status;
  switch (operation.read) {
    case 'json':
      return { status, bodyBytes: -1, json: await response.json() };
    case 'bytes':
      return { status, bodyBytes: (await response.arrayBuffer()).byteLength };
    default: {
      let bodyBytes = 0;
      if (response.body !== null) for await (const chunk of response.body) bodyBytes += chunk.byteLength;
      return { status, bodyBytes };
    }
  }
}

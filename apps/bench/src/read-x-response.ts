import type { HttpResponse } from '@x/core';
import type { HttpOperation, OperationResult } from './contender.js';

export interface ReadXOptions {
  /**
   * Stream bodies through `body.views()` (borrowed chunks, valid until the
   * next one) instead of `for await` over owned chunks: every byte is still
   * counted, none is kept.
   */
  readonly views?: boolean | undefined;
}

/** Reads an @x `HttpResponse` with its own body API: bytes(), json(), iteration (or views()), the trailers promise. */
export async function readXResponse(
  response: HttpResponse,
  operation: HttpOperation,
  options: ReadXOptions = {},
): Promise<OperationResult> {
  const status = response.status;
  switch (operation.read) {
    case 'bytes':
      return { status, bodyBytes: (await response.body.bytes()).byteLength };
    case 'json':
      return { status, bodyBytes: -1, json: await response.body.json() };
    case 'stream':
    case 'trailers': {
      let bodyBytes = 0;
      const chunks = options.views === true ? response.body.views() : response.body;
      for await (const chunk of chunks) bodyBytes += chunk.byteLength;
      if (operation.read === 'stream') return { status, bodyBytes };
      const trailers: Record<string, string> = {};
      for (const [name, value] of await response.trailers) trailers[name.toLowerCase()] = value;
      return { status, bodyBytes, trailers };
    }
  }
}

import type { HttpResponse } from '@x/core';
import type { HttpOperation, OperationResult } from './contender.js';

/** Reads an @x `HttpResponse` with its own body API: bytes(), json(), iteration, the trailers promise. */
export async function readXResponse(
  response: HttpResponse,
  operation: HttpOperation,
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
      for await (const chunk of response.body) bodyBytes += chunk.byteLength;
      if (operation.read === 'stream') return { status, bodyBytes };
      const trailers: Record<string, string> = {};
      for (const [name, value] of await response.trailers) trailers[name.toLowerCase()] = value;
      return { status, bodyBytes, trailers };
    }
  }
}

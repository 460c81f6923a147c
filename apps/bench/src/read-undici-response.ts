import type { Dispatcher } from 'undici';
import type { HttpOperation, OperationResult } from './contender.js';

/** Reads an undici `request()` response the way the scenario asks, with undici's own body API. */
export async function readUndiciResponse(
  response: Dispatcher.ResponseData,
  operation: HttpOperation,
): Promise<OperationResult> {
  const status = response.statusCode;
  switch (operation.read) {
    case 'bytes': {
      const bytes = await response.body.bytes();
      return { status, bodyBytes: bytes.byteLength };
    }
    case 'json':
      return { status, bodyBytes: -1, json: await response.body.json() };
    case 'stream':
    case 'trailers': {
      let bodyBytes = 0;
      for await (const chunk of response.body) bodyBytes += (chunk as Buffer).length;
      // undici fills `trailers` once the body has ended.
      return operation.read === 'stream'
        ? { status, bodyBytes }
        : { status, bodyBytes, trailers: response.trailers };
    }
  }
}

/** Request options shared by the undici contenders. */
export function undiciRequestOptions(operation: HttpOperation, keepAlive: boolean) {
  return {
    method: operation.method,
    headers: operation.headers,
    body: operation.body ?? null,
    // `reset` makes undici send `connection: close` and drop the socket after the response.
    reset: !keepAlive,
  };
}

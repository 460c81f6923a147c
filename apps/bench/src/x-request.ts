import { createRequest, type HttpRequest } from '@x/core';
import { type HttpOperation, operationUrl } from './contender.js';

/** The @x request for an operation: validated by `createRequest`, as an application would build it. */
export function xRequest(origin: URL, operation: HttpOperation): HttpRequest {
  return createRequest({
    method: operation.method,
    url: operationUrl(origin, operation),
    headers: operation.headers,
    body: operation.body,
  });
}

import type { HttpOperation, ReadMode } from '../contender.js';
import type { Workload } from '../scenario.js';
import { cannedRoute, JSON_DOCUMENT } from '../servers/canned-responses.js';

/** A workload against one of the canned server's routes, with the sizes to check taken from the route itself. */
export function cannedWorkload(
  path: string,
  read: ReadMode,
  request: { method?: 'GET' | 'POST'; body?: Uint8Array<ArrayBuffer>; headers?: Record<string, string> } = {},
): Workload {
  const route = cannedRoute(path);
  const operation: HttpOperation = {
    method: request.method ?? 'GET',
    path,
    headers: request.headers ?? {},
    body: request.body ?? null,
    read,
    responseBytes: route.bytes.length,
  };
  return {
    operation,
    expected: {
      status: 200,
      bodyBytes: route.bodyBytes,
      json: read === 'json' ? JSON_DOCUMENT : undefined,
    },
  };
}

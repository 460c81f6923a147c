import type { IncomingMessage } from 'node:http';
import type { HttpOperation, OperationResult } from './contender.js';

/**
 * Reads a node:http response the way an application does without helpers:
 * concatenate the chunks, or stream and count them.
 */
export async function readNodeResponse(
  response: IncomingMessage,
  operation: HttpOperation,
): Promise<OperationResult> {
  const status = response.statusCode ?? 0;
  if (operation.read === 'bytes' || operation.read === 'json') {
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    return operation.read === 'json'
      ? { status, bodyBytes: bytes.length, json: JSON.parse(bytes.toString('utf8')) }
      : { status, bodyBytes: bytes.length };
  }
  let bodyBytes = 0;
  for await (const chunk of response) bodyBytes += (chunk as Buffer).length;
  return operation.read === 'trailers'
    ? { status, bodyBytes, trailers: trailersOf(response) }
    : { status, bodyBytes };
}

/** node:http keeps trailers as a record of strings once the message has ended. */
export function trailersOf(response: IncomingMessage): Record<string, string> {
  const trailers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.trailers)) {
    if (typeof value === 'string') trailers[name] = value;
  }
  return trailers;
}

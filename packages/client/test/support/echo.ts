import type { IncomingMessage, ServerResponse } from 'node:http';

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** What the echo answer holds: the request as the server saw it (the body as latin1, byte for byte). */
export interface Echoed {
  method: string;
  path: string;
  type: string | null;
  length: string | null;
  authorization: string | null;
  cookie: string | null;
  body: string;
}

/** Answers with the request as JSON (see Echoed). */
export function echoRequest(request: IncomingMessage, response: ServerResponse, body: Buffer): void {
  const echoed: Echoed = {
    method: request.method ?? '',
    path: request.url ?? '',
    type: request.headers['content-type'] ?? null,
    length: request.headers['content-length'] ?? null,
    authorization: request.headers.authorization ?? null,
    cookie: request.headers.cookie ?? null,
    body: body.toString('latin1'),
  };
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(echoed));
}

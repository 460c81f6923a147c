import { HttpClientError, type HttpResponse } from '@x/core';

declare module '@x/core' {
  interface ErrorCodes {
    /**
     * Raised only by the client's opt-in helpers (`json()`, `getJson()`,
     * `throwOnStatus: true`, `downloadToFile`) for a status outside 200–299;
     * `details.status` holds it. Transports and layers never raise it: a 404
     * is a response.
     */
    HTTP_STATUS: true;
  }
}

/** Bytes of an error response kept in `details.body`, to show what an API said. */
export const STATUS_ERROR_BODY_BYTES = 1024;

export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status <= 299;
}

/**
 * Returns the response when its status is 2xx; otherwise reads at most
 * STATUS_ERROR_BODY_BYTES of the body (for the error's `details.body`),
 * cancels the rest and rejects with HTTP_STATUS.
 */
export async function expectSuccess(response: HttpResponse, method: string): Promise<HttpResponse> {
  if (isSuccessStatus(response.status)) return response;
  const excerpt = await readExcerpt(response);
  throw new HttpClientError('HTTP_STATUS', `${method} ${response.url.href} answered ${response.status}`, {
    method,
    url: response.url,
    requestSent: true,
    details: { status: response.status, reason: response.reason, body: excerpt },
  });
}

async function readExcerpt(response: HttpResponse): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body) {
      chunks.push(chunk);
      total += chunk.byteLength;
      if (total >= STATUS_ERROR_BODY_BYTES) break;
    }
  } catch {
    // The excerpt is a courtesy; a body that fails to arrive leaves it short.
  }
  await response.body.cancel();
  const bytes = Buffer.concat(chunks).subarray(0, STATUS_ERROR_BODY_BYTES);
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

import { type BodySource, createResponse, type HttpResponse, ResponseBody } from '@x/core';

/** A response whose body records whether it was read or cancelled, to check intermediate bodies are discarded unread. */
export interface TrackedResponse {
  readonly response: HttpResponse;
  readonly reads: () => number;
  readonly cancelled: () => boolean;
}

export function trackedResponse(
  status: number,
  url: URL,
  headers: Record<string, string> = {},
  text = 'intermediate body',
): TrackedResponse {
  let reads = 0;
  let cancelled = false;
  let sent = false;
  const source: BodySource = {
    async read() {
      reads++;
      if (cancelled) throw new Error('read after cancel');
      if (sent) return null;
      sent = true;
      return new TextEncoder().encode(text);
    },
    cancel() {
      cancelled = true;
    },
  };
  const response = createResponse({ status, url, headers, body: new ResponseBody(source) });
  return { response, reads: () => reads, cancelled: () => cancelled };
}

export const decoder = new TextDecoder();

import { type BodySource, HttpClientError, type ResponseBody } from '@x/core';

/**
 * One network body read by several consumers (a coalesced miss: the
 * request that went to the origin and the ones that waited for it). The
 * body is pulled once, by whichever reader is ahead; each chunk is kept
 * until every reader has passed it, so memory is the gap between the
 * fastest and the slowest reader, bounded by `bufferBytes`. A reader that
 * falls further behind is cut off with LIMIT_EXCEEDED rather than making
 * the others wait (which could deadlock a caller reading the bodies one
 * after another) or memory grow.
 *
 * Cancelling one reader never disturbs the others; the network body is
 * cancelled only when every reader has gone (SECURITY.md rule 18: nothing
 * outlives the request).
 */
export function shareBody(body: ResponseBody, readers: number, bufferBytes: number): BodySource[] {
  const iterator = body[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  /** Absolute index of chunks[0]: chunks before it were read by everybody and dropped. */
  let base = 0;
  let bufferedBytes = 0;
  let ended = false;
  let failure: unknown;
  let pulling: Promise<void> | null = null;
  const cursors = new Set<Cursor>();

  interface Cursor {
    index: number;
    cutOff: HttpClientError | undefined;
  }

  const trim = () => {
    let lowest = Number.POSITIVE_INFINITY;
    for (const cursor of cursors) lowest = Math.min(lowest, cursor.index);
    if (cursors.size === 0) lowest = base + chunks.length;
    while (base < lowest && chunks.length > 0) {
      bufferedBytes -= (chunks.shift() as Uint8Array).byteLength;
      base++;
    }
  };

  const enforceBound = () => {
    while (bufferedBytes > bufferBytes && cursors.size > 1) {
      let lowest = Number.POSITIVE_INFINITY;
      let highest = 0;
      for (const cursor of cursors) {
        lowest = Math.min(lowest, cursor.index);
        highest = Math.max(highest, cursor.index);
      }
      // Readers side by side are not lagging: one chunk larger than the bound cuts nobody off.
      if (lowest === highest) return;
      for (const cursor of cursors) {
        if (cursor.index !== lowest) continue;
        cursor.cutOff = new HttpClientError(
          'LIMIT_EXCEEDED',
          'A coalesced response body reader fell too far behind the others',
          { details: { limit: 'coalesceBufferBytes', max: bufferBytes } },
        );
        cursors.delete(cursor);
      }
      trim();
    }
  };

  const pull = (): Promise<void> => {
    pulling ??= iterator.next().then(
      (step) => {
        pulling = null;
        if (step.done) ended = true;
        else {
          chunks.push(step.value);
          bufferedBytes += step.value.byteLength;
          enforceBound();
        }
      },
      (error: unknown) => {
        pulling = null;
        failure = error;
      },
    );
    return pulling;
  };

  const release = (cursor: Cursor) => {
    if (!cursors.delete(cursor)) return;
    trim();
    if (cursors.size === 0 && !ended && failure === undefined) {
      ended = true;
      void iterator.return?.();
    }
  };

  const reader = (): BodySource => {
    const cursor: Cursor = { index: 0, cutOff: undefined };
    cursors.add(cursor);
    let finished = false;
    // BodySource contract: after cancel, a pending or later read rejects (never a short, clean end).
    let cancelled: HttpClientError | undefined;
    // Resolves on cancel, so a read waiting for the next network chunk wakes up at once.
    let wake!: () => void;
    const stopped = new Promise<void>((resolve) => {
      wake = resolve;
    });
    return {
      async read() {
        for (;;) {
          if (cursor.cutOff) throw cursor.cutOff;
          if (cancelled) throw cancelled;
          if (finished) return null;
          if (cursor.index < base + chunks.length) {
            const chunk = chunks[cursor.index - base] as Uint8Array;
            cursor.index++;
            trim();
            return chunk;
          }
          if (failure !== undefined) {
            release(cursor);
            throw failure;
          }
          if (ended) {
            finished = true;
            release(cursor);
            return null;
          }
          await Promise.race([pull(), stopped]);
        }
      },
      cancel(reason) {
        if (!finished) {
          cancelled = new HttpClientError('ABORTED', 'The response body was cancelled', { cause: reason });
        }
        finished = true;
        wake();
        release(cursor);
      },
    };
  };

  return Array.from({ length: readers }, reader);
}

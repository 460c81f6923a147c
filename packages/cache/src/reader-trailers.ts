import { type BodySource, HttpClientError } from '@x/core';
import type { HeaderList } from '@x/headers';

/**
 * Trailers for one reader of a shared body: the network's trailers once
 * this reader has read to the end, and a rejection when its own reads fail
 * or it cancels (RFC 9110 §6.5: trailers come after the content, so a
 * reader that did not get all of it gets none). Several readers of one
 * coalesced response each see their own outcome, never another's.
 */
export function withReaderTrailers(
  source: BodySource,
  networkTrailers: Promise<HeaderList>,
): { source: BodySource; trailers: Promise<HeaderList> } {
  let settle!: (value: Promise<HeaderList>) => void;
  let fail!: (error: unknown) => void;
  const trailers = new Promise<HeaderList>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  // Nobody is obliged to await trailers: a rejection must not surface as unhandled.
  trailers.catch(() => undefined);
  return {
    trailers,
    source: {
      async read() {
        try {
          const chunk = await source.read();
          if (chunk === null) settle(networkTrailers);
          return chunk;
        } catch (error) {
          fail(error);
          throw error;
        }
      },
      cancel(reason) {
        fail(new HttpClientError('ABORTED', 'The response body was cancelled', { cause: reason }));
        source.cancel(reason);
      },
    },
  };
}

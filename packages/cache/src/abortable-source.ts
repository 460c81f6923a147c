import { abortError, type BodySource } from '@x/core';

/**
 * Fails a stored body with ABORTED once `signal` fires (the transport
 * contract: the signal is honoured while the body streams), and stops
 * listening when the body ends or is cancelled.
 */
export function abortable(
  source: BodySource,
  signal: AbortSignal,
  request: { method: string; url: URL; requestSent: boolean },
): BodySource {
  let failure: Error | undefined;
  const onAbort = () => {
    failure = abortError(signal, request);
    source.cancel(failure);
  };
  const stop = () => signal.removeEventListener('abort', onAbort);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    async read() {
      if (failure) throw failure;
      try {
        const chunk = await source.read();
        // Aborted while the read was pending: the read fails, even if the source reported a clean end.
        if (failure) throw failure;
        if (chunk === null) stop();
        return chunk;
      } catch (error) {
        stop();
        throw failure ?? error;
      }
    },
    cancel(reason) {
      stop();
      source.cancel(reason);
    },
  };
}

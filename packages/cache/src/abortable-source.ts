import { abortError, type BodySource } from '@x/core';

/**
 * Fails a body with ABORTED once `signal` fires (the transport contract:
 * the signal is honoured while the body streams), and stops listening when
 * the body ends or is cancelled. A read pending when the signal fires
 * rejects at once, whatever the source does with its cancel: the caller's
 * abort never waits on a slow origin or store, and never ends as a short,
 * clean body.
 */
export function abortable(
  source: BodySource,
  signal: AbortSignal,
  request: { method: string; url: URL; requestSent: boolean },
): BodySource {
  let failure: Error | undefined;
  let rejectPending!: (error: Error) => void;
  const aborted = new Promise<never>((_resolve, reject) => {
    rejectPending = reject;
  });
  aborted.catch(() => undefined);
  const onAbort = () => {
    failure = abortError(signal, request);
    rejectPending(failure);
    source.cancel(failure);
  };
  const stop = () => signal.removeEventListener('abort', onAbort);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    async read() {
      if (failure) throw failure;
      try {
        const chunk = await Promise.race([source.read(), aborted]);
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

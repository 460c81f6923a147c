import type { Duplex } from 'node:stream';
import { type ConnectOptions, HttpClientError, systemClock } from '@x/core';

/**
 * The lifecycle every connector shares: resolve once on `readyEvent`,
 * otherwise destroy the socket and reject (error, connect deadline, abort),
 * leaving no listener or timer behind either way.
 */
export function connectAttempt<SocketType extends Duplex>(
  socket: SocketType,
  readyEvent: string,
  options: ConnectOptions,
  mapError: (error: unknown) => HttpClientError,
): Promise<SocketType> {
  const signal = options.signal;
  return new Promise<SocketType>((resolve, reject) => {
    const clock = options.clock ?? systemClock();
    const timer =
      options.timeout === undefined
        ? null
        : clock.setTimer(
            () =>
              fail(
                new HttpClientError('TIMEOUT', `Connect timed out after ${options.timeout} ms`, {
                  requestSent: false,
                  phase: 'connect',
                }),
              ),
            options.timeout,
          );
    const cleanup = () => {
      timer?.cancel();
      socket.off(readyEvent, onReady);
      socket.off('error', onError);
      socket.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: HttpClientError) => {
      cleanup();
      // Errors after destroy have nowhere to go; keep one listener so none is uncaught.
      socket.on('error', () => undefined);
      socket.destroy();
      reject(error);
    };
    const onReady = () => {
      cleanup();
      resolve(socket);
    };
    const onError = (error: unknown) => fail(mapError(error));
    const onClose = () => fail(mapError(new Error('Socket closed while connecting')));
    const onAbort = () =>
      fail(
        new HttpClientError('ABORTED', 'The connect was aborted', {
          requestSent: false,
          cause: signal?.reason,
        }),
      );
    socket.once(readyEvent, onReady);
    socket.on('error', onError);
    socket.once('close', onClose);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

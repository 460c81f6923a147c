import { afterEach } from 'vitest';

/** Something a test opened and must close: a server, a transport, a temporary folder. */
export type Cleanup = () => Promise<void> | void;

/**
 * A list to push cleanups onto while a test runs. Registers an `afterEach`
 * (so call it at module or describe scope) that runs them last-pushed first,
 * each awaited before the next: a transport closes before the server under
 * it, and a failing test still closes everything it opened.
 */
export function cleanupAfterEach(): Cleanup[] {
  const cleanups: Cleanup[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return cleanups;
}

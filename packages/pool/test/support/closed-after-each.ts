import { cleanupAfterEach, type TrackedServer } from '@x/test-support';
import type { Pool } from '../../src/index.js';

/**
 * `usePool` and `useServer` for a test file (call at module scope): what
 * they are given is destroyed or closed after each test, last opened first,
 * so the server-side socket counts of the next test start from zero.
 */
export function closedAfterEach() {
  const cleanups = cleanupAfterEach();
  return {
    usePool(pool: Pool): Pool {
      cleanups.push(() => pool.destroy());
      return pool;
    },
    useServer(server: TrackedServer): TrackedServer {
      cleanups.push(() => server.close());
      return server;
    },
  };
}

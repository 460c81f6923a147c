import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ChildProcesses, waitForMessage } from '../child-processes.js';
import type { ServerMessage } from './serve-in-child.js';

export type ServerKind = 'canned' | 'stream';

const SERVER_MODULES: Readonly<Record<ServerKind, string>> = {
  canned: fileURLToPath(new URL('./canned-server.ts', import.meta.url)),
  stream: fileURLToPath(new URL('./stream-server.ts', import.meta.url)),
};

export interface RunningServer {
  readonly kind: ServerKind;
  readonly origin: URL;
  /** The server process's CPU time so far, in microseconds (user + system). */
  cpuMicros(): Promise<number>;
  close(): Promise<void>;
}

/** Starts a server in its own process and waits until it listens on 127.0.0.1. */
export async function startServer(children: ChildProcesses, kind: ServerKind): Promise<RunningServer> {
  const child: ChildProcess = children.fork(SERVER_MODULES[kind]);
  try {
    const port = await waitForMessage(
      child,
      (message) => (isMessage(message) && message.type === 'listening' ? message.port : undefined),
      15_000,
      `${kind} server start`,
    );
    return {
      kind,
      origin: new URL(`http://127.0.0.1:${port}`),
      async cpuMicros() {
        const answer = waitForMessage(
          child,
          (message) =>
            isMessage(message) && message.type === 'cpu' ? message.user + message.system : undefined,
          5_000,
          `${kind} server cpu`,
        );
        child.send('cpu');
        return answer;
      },
      close: () => children.kill(child),
    };
  } catch (error) {
    await children.kill(child);
    throw error;
  }
}

function isMessage(message: unknown): message is ServerMessage {
  return typeof message === 'object' && message !== null && 'type' in message;
}

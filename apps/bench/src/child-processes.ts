import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import {
  buildIsolatedBundle,
  type IsolatedBundle,
  newBundleDirectory,
  removeBundle,
  removeBundleNow,
} from './isolated-bundle.js';

/**
 * Node flags for a forked TypeScript child: the tsx loader (so the child runs
 * our .ts sources, whether the parent is tsx or vitest) and the `@x/source`
 * condition (so `@x/*` imports resolve to src/ without a build).
 */
function childExecArgv(): string[] {
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--conditions=@x/source', '--import', loader];
}

/**
 * Every child process one benchmark run starts (servers, isolated
 * contenders), and the bundle the isolated ones run from. `killAll()` runs
 * on normal exit, on errors and on SIGINT, so nothing outlives the run;
 * children also exit by themselves when their IPC channel to us closes.
 */
export class ChildProcesses {
  readonly #children = new Set<ChildProcess>();
  #bundle: Promise<IsolatedBundle> | undefined;
  #bundleDirectory: string | undefined;

  /** Forks `modulePath` (an absolute .ts path) under the tsx loader, with an IPC channel. */
  fork(modulePath: string, args: readonly string[] = []): ChildProcess {
    return this.#track(
      fork(modulePath, args, {
        execArgv: childExecArgv(),
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced',
      }),
    );
  }

  /**
   * Forks an isolated contender process (`isolated-turn.ts`) as plain
   * JavaScript under plain `node`: no loader, no flags but --expose-gc (for
   * the retained-memory measure). The bundle is built on first use and kept
   * for the rest of the run. It talks over IPC (`isolated-job.ts`).
   */
  async forkIsolated(): Promise<ChildProcess> {
    const bundle = await this.isolatedBundle();
    return this.#track(
      fork(bundle.entry, [], {
        execArgv: ['--expose-gc'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced',
      }),
    );
  }

  /** The isolated child's bundle of this run, built once. */
  isolatedBundle(): Promise<IsolatedBundle> {
    if (this.#bundle === undefined) {
      // The folder is known before the build starts, so an exit during the build still removes it.
      const directory = newBundleDirectory();
      this.#bundleDirectory = directory;
      this.#bundle = buildIsolatedBundle(directory).catch((error: unknown) => {
        // The build removed its folder; a later call tries again rather than repeating a stale failure.
        this.#bundle = undefined;
        if (this.#bundleDirectory === directory) this.#bundleDirectory = undefined;
        throw error;
      });
    }
    return this.#bundle;
  }

  #track(child: ChildProcess): ChildProcess {
    this.#children.add(child);
    child.once('exit', () => this.#children.delete(child));
    // A failed spawn or IPC send emits 'error': with no listener that would crash the harness.
    // Whoever waits on the child learns of it (waitForMessage rejects on 'error' and on exit).
    child.on('error', () => undefined);
    return child;
  }

  /** Kills one child and waits until it has exited. */
  async kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) {
      this.#children.delete(child);
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** Kills every child and removes the isolated bundle (a later fork builds a new one). */
  async killAll(): Promise<void> {
    await Promise.all([...this.#children].map((child) => this.kill(child)));
    const building = this.#bundle;
    const directory = this.#bundleDirectory;
    this.#bundle = undefined;
    this.#bundleDirectory = undefined;
    await building?.catch(() => undefined);
    if (directory !== undefined) await removeBundle(directory);
  }

  /** Synchronous last resort for `process.on('exit')`, where nothing can be awaited. */
  killAllNow(): void {
    for (const child of this.#children) child.kill('SIGKILL');
    if (this.#bundleDirectory !== undefined) removeBundleNow(this.#bundleDirectory);
    this.#bundleDirectory = undefined;
  }

  get size(): number {
    return this.#children.size;
  }
}

/** Waits for the first IPC message that `accept` recognises, or fails after `timeoutMs`, on exit or on an error. */
export function waitForMessage<T>(
  child: ChildProcess,
  accept: (message: unknown) => T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      const value = accept(message);
      if (value === undefined) return;
      cleanup();
      resolve(value);
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`${what}: child exited (code ${code}, signal ${signal}) before answering`));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new Error(`${what}: ${error.message}`, { cause: error }));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.on('error', onError);
  });
}

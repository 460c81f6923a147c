import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../../..', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliBytesRun extends CliRun {
  /** stdout as bytes (for bodies that are not text). */
  bytes: Buffer;
}

/**
 * The variables a developer's shell may set that would change what the CLI
 * does: proxies (read only with --proxy-env, cleared anyway so a test that
 * forgets the flag cannot pass by accident) and the forced progress bar.
 */
const CLEARED: Readonly<Record<string, string>> = {
  http_proxy: '',
  HTTP_PROXY: '',
  https_proxy: '',
  HTTPS_PROXY: '',
  all_proxy: '',
  ALL_PROXY: '',
  no_proxy: '',
  NO_PROXY: '',
  X_HTTP_FORCE_TTY: '',
};

/** Runs `x-http` from source in a real subprocess with pipes (not a terminal); `env` is added last. */
export function runCliBytes(args: readonly string[], env: Record<string, string> = {}): Promise<CliBytesRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@x/source', '--import', 'tsx', cliPath, ...args],
      {
        cwd: repositoryRoot,
        env: { ...process.env, ...CLEARED, ...env },
        encoding: 'buffer',
        timeout: 20_000,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout: stdout.toString(), bytes: stdout, stderr: stderr.toString() });
      },
    );
  });
}

/** `runCliBytes` without the bytes, for assertions on the whole run. */
export async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const { code, stdout, stderr } = await runCliBytes(args, env);
  return { code, stdout, stderr };
}

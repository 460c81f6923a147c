/**
 * The `x-http` command. Everything but process wiring lives in cli-run.ts.
 *
 * X_HTTP_FORCE_TTY=1 makes the CLI draw its progress bar as if stderr were
 * a terminal; it exists for tests that run the CLI in a subprocess with
 * pipes, and is read here, in the executable, never by library code.
 */
import process from 'node:process';
import { readHiddenLine, type TerminalInput } from './cli-password-prompt.js';
import { runCli } from './cli-run.js';

const VERSION = 'x-http 0.1.0';

const controller = new AbortController();
// First Ctrl-C aborts the request cleanly (exit 130); a second one kills at once.
process.once('SIGINT', () => {
  controller.abort(new Error('Interrupted'));
  process.once('SIGINT', () => process.exit(130));
});
// A closed pipe (x-http ... | head) surfaces as a failed write, not a crash.
process.stdout.on('error', () => undefined);

const progress = process.stderr.isTTY === true || process.env.X_HTTP_FORCE_TTY === '1';
// The library's timers are unref'd (a pending deadline never keeps a process
// alive); the command must stay alive while it waits for a retry backoff.
const keepAlive = setInterval(() => undefined, 60_000);
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  progress,
  signal: controller.signal,
  version: VERSION,
  // -u user asks for the password only on a terminal; piped, it is a usage error.
  readPassword: process.stdin.isTTY
    ? (prompt: string) => readHiddenLine(process.stdin as TerminalInput, process.stderr, prompt)
    : undefined,
});
clearInterval(keepAlive);
process.exitCode = code;

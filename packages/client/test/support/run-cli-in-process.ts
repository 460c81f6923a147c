import { PassThrough, Readable, Writable } from 'node:stream';
import type { Clock } from '@x/core';
import type { ReadPassword } from '../../src/cli-password-prompt.js';
import { runCli } from '../../src/cli-run.js';

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessIo {
  /** What stdin holds (default: nothing, already ended). */
  readonly stdin?: string | Buffer;
  readonly clock?: Clock;
  readonly readPassword?: ReadPassword;
}

/** A Writable that keeps everything written to it. */
function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

/** Runs `x-http` in this process with in-memory streams: stdin, a clock and a password prompt can be given. */
export async function runCliInProcess(argv: readonly string[], io: InProcessIo = {}): Promise<InProcessRun> {
  const stdout = collector();
  const stderr = collector();
  const stdin = io.stdin === undefined ? Readable.from([]) : new PassThrough().end(io.stdin);
  const code = await runCli(argv, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin,
    progress: false,
    version: 'x-http test',
    clock: io.clock,
    readPassword: io.readPassword,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

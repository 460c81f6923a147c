/**
 * `x-http -u user` without a password: curl's prompt on stderr, the answer
 * read from the terminal with nothing echoed. Only a terminal can answer;
 * the executable (cli.ts) passes `readHiddenLine` as CliIo.readPassword
 * when stdin is a TTY, and without one the run is a usage error.
 */
import type { Readable, Writable } from 'node:stream';
import { HttpClientError } from '@x/core';
import { basicCredentials } from './cli-option-values.js';
import { cliInputError } from './cli-request-error.js';

/** A terminal input: Node's tty.ReadStream has setRawMode. */
export interface TerminalInput extends Readable {
  setRawMode(raw: boolean): unknown;
}

export type ReadPassword = (prompt: string) => Promise<string>;

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACES = new Set(['\u007f', '\b']);

/**
 * Writes `prompt` to `output` and reads one line from `input` in raw mode
 * (no echo) until Enter or Ctrl-D; Backspace removes the last character;
 * Ctrl-C rejects with ABORTED (exit 130). Raw mode is always turned off again.
 */
export function readHiddenLine(input: TerminalInput, output: Writable, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const typed: string[] = [];
    const finish = (error?: HttpClientError) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.setRawMode(false);
      input.pause();
      // Enter was not echoed either: end the prompt's line ourselves.
      output.write('\n');
      if (error === undefined) resolve(typed.join(''));
      else reject(error);
    };
    const onData = (chunk: string | Buffer) => {
      // Code points, so a Backspace removes a whole character, not half of a surrogate pair.
      for (const character of Array.from(chunk.toString())) {
        if (character === '\r' || character === '\n' || character === CTRL_D) return finish();
        if (character === CTRL_C)
          return finish(
            new HttpClientError('ABORTED', 'Interrupted at the password prompt', { requestSent: false }),
          );
        if (BACKSPACES.has(character)) typed.pop();
        else typed.push(character);
      }
    };
    const onEnd = () => finish();
    output.write(prompt);
    input.setRawMode(true);
    input.on('data', onData);
    input.once('end', onEnd);
    input.resume();
  });
}

/** The Authorization value for `-u user`, after asking for the password (a value it cannot make is exit 2). */
export async function promptedAuthorization(user: string, readPassword: ReadPassword): Promise<string> {
  const password = await readPassword(`Enter host password for user '${user}':`);
  const checked = basicCredentials(user, password);
  if (!checked.ok) throw cliInputError(checked.reason);
  return checked.value;
}

import { spawn } from 'node:child_process';

/**
 * Instructions a process executed, counted by valgrind's callgrind, which
 * runs it on a simulated CPU: the count does not depend on what else the
 * machine is doing, so two stacks can be compared on a loaded 2-core box
 * where their timings cannot. V8 runs single-threaded with a predictable
 * GC schedule, so compiler and GC threads do not add a varying share.
 */
export async function countInstructions(nodeArgs: readonly string[]): Promise<number> {
  const args = [
    '--tool=callgrind',
    // JIT code is written at run time: re-read it when it changes (except in mapped files).
    '--smc-check=all-non-file',
    '--callgrind-out-file=/dev/null',
    process.execPath,
    '--single-threaded',
    '--predictable-gc-schedule',
    ...nodeArgs,
  ];
  const { code, stderr } = await run('valgrind', args);
  if (code !== 0) throw new Error(`valgrind ${nodeArgs.join(' ')} exited ${code}:\n${stderr.slice(-2000)}`);
  const count = parseCollected(stderr);
  if (count === null) throw new Error(`no instruction count in valgrind's output:\n${stderr.slice(-2000)}`);
  return count;
}

/** The `Collected : <n>` line callgrind prints at exit, as a number; null when absent. */
export function parseCollected(output: string): number | null {
  const match = /==\d+== Collected : (\d+)/.exec(output);
  return match === null ? null : Number(match[1]);
}

/** Whether valgrind can be run at all. */
export async function hasValgrind(): Promise<boolean> {
  try {
    return (await run('valgrind', ['--version'])).code === 0;
  } catch {
    return false;
  }
}

function run(command: string, args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr += text;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../src/index.js';

const appRoot = fileURLToPath(new URL('..', import.meta.url));

/** Runs the CLI the way `pnpm conformance` does (tsx, @x/source condition), in worker threads. */
function runCli(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@x/source', '--import', 'tsx', 'src/cli.ts', '--quiet', ...args],
      { cwd: appRoot, timeout: 60_000 },
      (error, stdout) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout });
      },
    );
  });
}

describe('pnpm conformance (the CLI)', () => {
  it('exits 0 and writes both reports when every claimed case passes', async () => {
    const out = await mkdtemp(join(tmpdir(), 'conformance-cli-'));
    try {
      const { code, stdout } = await runCli([
        '--subject',
        'mock',
        '--subject',
        'http1',
        '--only',
        'bodies/fixed',
        '--out',
        out,
      ]);
      expect(stdout).toMatch(/bodies\/fixed\s+pass\s+pass/);
      expect(code).toBe(0);
      const json = JSON.parse(await readFile(join(out, 'conformance.json'), 'utf8')) as ConformanceReport;
      expect(json.subjects.map((subject) => subject.name)).toEqual(['mock', 'http1']);
      expect(json.ok).toBe(true);
      expect(await readFile(join(out, 'conformance.md'), 'utf8')).toContain('| case | mock | http1 |');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('exits 1 when a claimed case times out', async () => {
    const out = await mkdtemp(join(tmpdir(), 'conformance-cli-'));
    try {
      // timeout/headers waits ~200 ms for the server by design; a 20 ms case limit makes it a hang.
      const { code, stdout } = await runCli([
        '--subject',
        'http1',
        '--only',
        'timeout/headers',
        '--time-limit',
        '20',
        '--out',
        out,
      ]);
      expect(stdout).toContain('TIMEOUT');
      expect(code).toBe(1);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChildProcesses, waitForMessage } from '../src/child-processes.js';
import { buildIsolatedBundle, type IsolatedBundle, newBundleDirectory } from '../src/isolated-bundle.js';
import { type IsolatedJob, isolatedSample, isReady } from '../src/isolated-job.js';
import type { Sample } from '../src/measure.js';
import { highWaterMarkBytes, peakRssBytes } from '../src/process-memory.js';
import { streamedDownload } from '../src/scenarios/download.js';
import { createStreamServer } from '../src/servers/stream-server.js';

const MiB = 1024 * 1024;

/** The sources and external modules an output loads before it runs: its static import closure. */
function staticClosure(metafile: Metafile, start: string): { inputs: Set<string>; externals: Set<string> } {
  const inputs = new Set<string>();
  const externals = new Set<string>();
  const seen = new Set<string>();
  const pending = [start];
  for (let output = pending.pop(); output !== undefined; output = pending.pop()) {
    if (seen.has(output)) continue;
    seen.add(output);
    const entry = metafile.outputs[output];
    if (entry === undefined) throw new Error(`no output ${output}`);
    for (const input of Object.keys(entry.inputs)) inputs.add(input);
    for (const imported of entry.imports) {
      if (imported.kind !== 'import-statement') continue;
      if (imported.external === true) externals.add(imported.path);
      else pending.push(imported.path);
    }
  }
  return { inputs, externals };
}

function outputFor(metafile: Metafile, source: string): string {
  const found = Object.entries(metafile.outputs).find(([, output]) => output.entryPoint === source);
  if (found === undefined) throw new Error(`no output for ${source}`);
  return found[0];
}

const contenderSources = (inputs: Set<string>) =>
  [...inputs].filter((input) => input.includes('contenders/'));
const thirdParty = (externals: Set<string>) => [...externals].filter((name) => !name.startsWith('node:'));

describe('the isolated child bundle', () => {
  const children = new ChildProcesses();
  let bundle: IsolatedBundle;

  beforeAll(async () => {
    bundle = await children.isolatedBundle();
  });
  afterAll(async () => {
    await children.killAll();
  });

  it('loads no contender and no third-party package until the job names one', () => {
    const entry = staticClosure(bundle.metafile, outputFor(bundle.metafile, 'src/isolated-turn.ts'));
    expect(entry.inputs).toContain('src/isolated-turn.ts');
    expect(entry.inputs).toContain('src/measure.ts');
    expect(contenderSources(entry.inputs)).toEqual([]);
    expect(thirdParty(entry.externals)).toEqual([]);
    // Nothing of the scenarios, the servers or the report: the job brings its data over IPC.
    expect([...entry.inputs].filter((input) => /scenarios\/|servers\/|report/.test(input))).toEqual([]);
  });

  it('gives every contender file a chunk holding that contender alone, with only its own packages', async () => {
    const files = (await readdir(fileURLToPath(new URL('../src/contenders/', import.meta.url)))).filter(
      (file) => file.endsWith('.ts'),
    );
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const source = `src/contenders/${file}`;
      const closure = staticClosure(bundle.metafile, outputFor(bundle.metafile, source));
      expect(contenderSources(closure.inputs), file).toEqual([source]);
    }
    const loaded = (name: string) =>
      staticClosure(bundle.metafile, outputFor(bundle.metafile, `src/contenders/${name}.ts`));
    expect(thirdParty(loaded('raw-socket').externals)).toEqual([]);
    const xPool = loaded('x-pool');
    expect([...xPool.inputs].some((input) => input.includes('packages/pool/src/'))).toBe(true);
    // @x/* are bundled from src, the client's cookie jar dependency is not loaded by the bare pool.
    expect(thirdParty(xPool.externals)).toEqual([]);
    const undiciRequest = thirdParty(loaded('undici-request').externals);
    expect(undiciRequest).toHaveLength(1);
    expect(undiciRequest[0]).toMatch(/^file:\/\/.*\/undici\//);
    expect(thirdParty(loaded('x-client').externals).some((name) => name.includes('/tough-cookie/'))).toBe(
      true,
    );
  });
});

describe('a bundle with a module that does not build', () => {
  it('replaces that module by one that throws its error when loaded, and builds the rest', async () => {
    // A fixture in a temporary folder: a glob import over parts, as isolated-contender.ts does.
    const source = await mkdtemp(join(tmpdir(), 'x-bench-fixture-'));
    const directory = newBundleDirectory();
    try {
      await mkdir(join(source, 'parts'));
      const parts: Record<string, string> = {
        'good.ts': "export const value: string = 'good';\n",
        'broken.ts': 'export const value = ;\n',
        'missing.ts': "import { other } from './nowhere.js';\nexport const value = other;\n",
        'uses-broken.ts': "import { value as inner } from './broken.ts';\nexport const value = inner;\n",
      };
      for (const [file, text] of Object.entries(parts)) await writeFile(join(source, 'parts', file), text);
      await writeFile(
        join(source, 'entry.ts'),
        [
          'const results: string[] = [];',
          "for (const name of ['good', 'broken', 'missing', 'uses-broken']) {",
          '  try {',
          // String concatenation is esbuild's other glob-import form.
          "    results.push(name + ': ' + (await import('./parts/' + name + '.ts')).value);",
          '  } catch (error) {',
          "    results.push(name + ': ' + (error as Error).message);",
          '  }',
          '}',
          'console.log(JSON.stringify(results));',
          '',
        ].join('\n'),
      );
      const bundle = await buildIsolatedBundle(directory, {
        entry: join(source, 'entry.ts'),
        workingDirectory: source,
      });
      const results = JSON.parse(
        execFileSync(process.execPath, [bundle.entry], { encoding: 'utf8' }),
      ) as string[];
      expect(results[0]).toBe('good: good');
      expect(results[1]).toMatch(/^broken: parts\/broken\.ts did not build: /);
      expect(results[2]).toMatch(/^missing: parts\/missing\.ts did not build: .*nowhere/);
      // What imports a broken module fails with that module's error, the root cause.
      expect(results[3]).toMatch(/^uses-broken: parts\/broken\.ts did not build: /);
    } finally {
      await rm(source, { recursive: true, force: true });
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe('an isolated turn', () => {
  const children = new ChildProcesses();
  const server = createStreamServer();
  let origin: URL;

  beforeAll(async () => {
    server.listen({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    origin = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    await children.killAll();
    server.close();
    await once(server, 'close');
  });

  async function runIsolatedJob(contender: string): Promise<Sample> {
    const child = await children.forkIsolated();
    try {
      await waitForMessage(child, isReady, 15_000, 'ready');
      const job: IsolatedJob = {
        type: 'job',
        contender,
        origin: origin.href,
        setup: { connections: 1, pipelining: 1, keepAlive: true, cache: false },
        workload: streamedDownload.workload('quick'),
        plan: streamedDownload.plan('quick'),
        inFlight: 1,
        hangTimeoutMs: 10_000,
      };
      const answer = waitForMessage(child, isolatedSample, 30_000, 'sample');
      child.send(job);
      return await answer;
    } finally {
      await children.kill(child);
    }
  }

  it('runs under plain node and reports its own peak RSS, not the parent’s', async () => {
    // The parent holds 256 MiB while it forks: a child's getrusage maxRSS would start there.
    const ballast = Buffer.alloc(256 * MiB, 1);
    expect(process.memoryUsage.rss()).toBeGreaterThan(256 * MiB);
    const sample = await runIsolatedJob('raw-socket');
    expect(ballast.byteLength).toBe(256 * MiB);
    expect(sample.error).toBeUndefined();
    expect(sample.completed).toBe(1);
    expect(sample.bodyBytes).toBe(8 * MiB);
    const idle = sample.idleRssBytes ?? 0;
    const peak = sample.peakRssBytes ?? 0;
    expect(idle).toBeGreaterThan(8 * MiB);
    expect(idle).toBeLessThanOrEqual(peak);
    expect(sample.rssBeforeBytes).toBeLessThanOrEqual(peak);
    expect(peak).toBeLessThan(256 * MiB);
    expect(children.size).toBe(0);
  });

  it('reports an unknown contender as an error sample, not a hang', async () => {
    const missing = await runIsolatedJob('no-such-client');
    expect(missing.completed).toBe(0);
    expect(missing.error).toMatch(/no-such-client/);
    const invalid = await runIsolatedJob('../run');
    expect(invalid.error).toMatch(/Invalid contender name/);
  });

  it('removes its bundle when the run ends', async () => {
    const bundle = await children.isolatedBundle();
    expect(existsSync(bundle.entry)).toBe(true);
    await children.killAll();
    expect(existsSync(bundle.directory)).toBe(false);
  });
});

describe('peak RSS', () => {
  it('is the high-water mark of this process image where /proc has one, never below the RSS', () => {
    const before = process.memoryUsage.rss();
    const highWaterMark = highWaterMarkBytes();
    if (process.platform === 'linux') {
      expect(highWaterMark).toBeGreaterThanOrEqual(before);
      expect(peakRssBytes()).toBeGreaterThanOrEqual(highWaterMark ?? 0);
    } else {
      expect(peakRssBytes()).toBe(process.resourceUsage().maxRSS * 1024);
    }
  });
});

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { countInstructions, hasValgrind } from './callgrind.js';
import { perRequest, type VariantCount, variantTable } from './instructions-report.js';
import { isVariant, VARIANTS, type Variant } from './workload.js';

const USAGE = `Usage: pnpm --filter @x/bench instructions [variant…] [--requests N] [--latest]

Counts the CPU instructions one small GET costs in each stack, over an in-memory origin, with
valgrind (apt install valgrind). Each variant runs twice, with N and 2N measured requests after
the same warm-up; the difference over N is the cost of one request, load-independent.
Variants: ${Object.keys(VARIANTS).join(', ')} (default: all).`;

const WARM_UP = 30_000;
const DEFAULT_REQUESTS = 20_000;
const HERE = fileURLToPath(new URL('.', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../results/', import.meta.url));

async function main(argv: readonly string[]): Promise<number> {
  let requests = DEFAULT_REQUESTS;
  let latest = false;
  const chosen: Variant[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--help') {
      console.log(USAGE);
      return 0;
    }
    if (arg === '--latest') latest = true;
    else if (arg === '--requests') requests = Number(argv[++index]);
    else if (isVariant(arg)) chosen.push(arg);
    else {
      console.error(`Unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
      return 2;
    }
  }
  if (!Number.isInteger(requests) || requests < 1000) {
    console.error('--requests needs a whole number of at least 1000');
    return 2;
  }
  if (!(await hasValgrind())) {
    console.error('valgrind is not installed (Debian: apt-get install valgrind).');
    return 1;
  }
  const variants = chosen.length > 0 ? chosen : (Object.keys(VARIANTS) as Variant[]);
  const directory = await mkdtemp(join(tmpdir(), 'x-bench-instructions-'));
  try {
    const entry = await bundle(directory);
    const counts: VariantCount[] = [];
    for (const variant of variants) {
      // The two runs of a variant in parallel: one per core.
      const [short, long] = await Promise.all([
        countInstructions([entry, variant, String(WARM_UP), String(requests)]),
        countInstructions([entry, variant, String(WARM_UP), String(2 * requests)]),
      ]);
      const count = { variant, perRequest: perRequest(short, long, requests) };
      counts.push(count);
      console.log(`${variant}: ${Math.round(count.perRequest)} instructions per request`);
    }
    const markdown = variantTable(counts, {
      requests,
      warmUp: WARM_UP,
      date: new Date(),
      node: process.version,
    });
    console.log(`\n${markdown}`);
    await mkdir(RESULTS, { recursive: true });
    // Dated files are git-ignored; --latest writes the one that is committed.
    const stamp = new Date().toISOString().replaceAll(':', '-').slice(0, 19);
    const name = latest ? 'instructions-latest.md' : `instructions-${stamp}.md`;
    await writeFile(join(RESULTS, name), markdown);
    console.log(`Written: ${join(RESULTS, name)}`);
    return 0;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** The workload as one plain-JavaScript file, `@x/*` from src/, so the child runs under plain node. */
async function bundle(directory: string): Promise<string> {
  const outfile = join(directory, 'workload.mjs');
  await build({
    entryPoints: [join(HERE, 'workload-main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    conditions: ['@x/source'],
    logLevel: 'error',
  });
  return outfile;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);

import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { UnbuildableModules } from './unbuildable-modules.js';

const ISOLATED_TURN_SOURCE = fileURLToPath(new URL('./isolated-turn.ts', import.meta.url));
/** apps/bench: the metafile's paths are relative to it, whatever the current directory. */
export const BUNDLE_WORKING_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));

/**
 * The isolated contender process as plain JavaScript, for `node` with no
 * loader: `isolated-turn.ts` and everything it imports, `@x/*` taken from
 * src/ through the `@x/source` condition, one lazily imported chunk per
 * contender. Third-party packages (undici, got, axios, tough-cookie…) stay
 * outside and load from node_modules at run time, as in an application.
 *
 * Why: under the tsx loader an idle child was 85–105 MiB (bare Node is about
 * 41), the loader's own thread and compiled modules included, so no client
 * could show a peak under 100 MB. Built once per run, removed at its end.
 */
export interface IsolatedBundle {
  /** Absolute path of the entry module, for `fork`. */
  readonly entry: string;
  /** The temporary folder holding the entry and its chunks. */
  readonly directory: string;
  /** What went where: which sources each output holds and what it imports. */
  readonly metafile: Metafile;
}

/** A new empty temporary folder for one bundle. */
export function newBundleDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'x-bench-isolated-'));
}

/** What to bundle: the isolated turn of this app, unless a test bundles a fixture. */
export interface BundleSource {
  readonly entry: string;
  /** Paths in the metafile and in build errors are relative to it. */
  readonly workingDirectory: string;
}

const ISOLATED_TURN: BundleSource = {
  entry: ISOLATED_TURN_SOURCE,
  workingDirectory: BUNDLE_WORKING_DIRECTORY,
};

/** Stand-in rounds before giving up: each round replaces the modules the last build named. */
const MAX_BUILD_ATTEMPTS = 5;

/**
 * Builds the bundle into `directory`. A module that does not build is
 * replaced by one that throws its error when loaded (`unbuildable-modules.ts`),
 * so only the contenders that import it fail. On failure the folder is
 * removed and the error thrown.
 */
export async function buildIsolatedBundle(
  directory: string,
  source: BundleSource = ISOLATED_TURN,
): Promise<IsolatedBundle> {
  const unbuildable = new UnbuildableModules();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const metafile = await buildOnce(directory, source, unbuildable);
        return { entry: join(directory, 'isolated-turn.mjs'), directory, metafile };
      } catch (error) {
        if (attempt === MAX_BUILD_ATTEMPTS || !unbuildable.record(error, source.workingDirectory))
          throw error;
      }
    }
  } catch (error) {
    await removeBundle(directory);
    throw error;
  }
}

async function buildOnce(
  directory: string,
  source: BundleSource,
  unbuildable: UnbuildableModules,
): Promise<Metafile> {
  const result = await build({
    entryPoints: { 'isolated-turn': source.entry },
    absWorkingDir: source.workingDirectory,
    outdir: directory,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    // Without splitting, every contender's imports of undici, got and axios would be
    // hoisted into the entry and loaded by every child; with it, each stays in its chunk.
    splitting: true,
    format: 'esm',
    platform: 'node',
    // No down-levelling: private fields, async iteration and the rest run as tsx runs them.
    target: 'esnext',
    conditions: ['@x/source'],
    plugins: unbuildable.size === 0 ? [thirdPartyExternal] : [unbuildable.plugin(), thirdPartyExternal],
    metafile: true,
    logLevel: 'silent',
  });
  return result.metafile;
}

export async function removeBundle(directory: string): Promise<void> {
  await rm(directory, { recursive: true, force: true });
}

/** For `process.on('exit')`, where nothing can be awaited. */
export function removeBundleNow(directory: string): void {
  rmSync(directory, { recursive: true, force: true });
}

const RESOLVING = Symbol('resolving');

/**
 * Leaves every third-party package out of the bundle, imported by the
 * absolute URL of the file esbuild resolved for it (with the `import` and
 * `node` conditions, as Node's own resolution would pick). A bare name
 * would not do: the bundle sits in a temporary folder with no node_modules
 * above it, and pnpm gives each package only its own dependencies (our
 * cookies package's tough-cookie is not visible from apps/bench).
 */
const thirdPartyExternal: Plugin = {
  name: 'third-party-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === RESOLVING) return undefined;
      if (args.path.startsWith('@x/') || args.path.startsWith('node:')) return undefined;
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: RESOLVING,
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      // A built-in named without `node:` is already external.
      if (resolved.external) return { path: resolved.path, external: true };
      return { path: pathToFileURL(resolved.path).href, external: true };
    });
  },
};

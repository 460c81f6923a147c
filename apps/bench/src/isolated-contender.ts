import type { Contender } from './contender.js';

/**
 * Loads one contender in an isolated process. The import is a template over
 * `./contenders/`, which esbuild turns into one lazily loaded chunk per
 * contender file when it bundles the isolated child (`isolated-bundle.ts`),
 * and which tsx or vitest resolve as a plain relative import. So the process
 * evaluates only this contender's module and what it imports: its peak RSS
 * holds no other client's code. (`loadContender` in contenders.ts imports
 * through a URL built at run time, which no bundler can follow.)
 */
export async function loadIsolatedContender(name: string): Promise<Contender> {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`Invalid contender name ${JSON.stringify(name)}`);
  const module = (await import(`./contenders/${name}.ts`)) as { contender?: Contender };
  if (module.contender?.name !== name) {
    throw new Error(`src/contenders/${name}.ts does not export contender "${name}"`);
  }
  return module.contender;
}

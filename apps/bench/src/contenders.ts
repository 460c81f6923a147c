import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Contender } from './contender.js';

const CONTENDER_FOLDER = new URL('./contenders/', import.meta.url);

/** Report order: the ceiling, the baseline, then the rest by name. */
const FIRST = ['raw-socket', 'undici-request'];

/**
 * Loads one contender by name. By convention `src/contenders/<name>.ts`
 * exports `contender` with that name, so adding a client is adding a file.
 */
export async function loadContender(name: string): Promise<Contender> {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`Invalid contender name ${JSON.stringify(name)}`);
  const module = (await import(new URL(`${name}.ts`, CONTENDER_FOLDER).href)) as { contender?: Contender };
  if (module.contender?.name !== name)
    throw new Error(`src/contenders/${name}.ts does not export contender "${name}"`);
  return module.contender;
}

/**
 * Every contender in `src/contenders/`. A file that fails to load (say, the
 * package it measures is not built yet) is skipped and logged, never
 * replaced by a stand-in.
 */
export async function loadContenders(log: (line: string) => void = () => {}): Promise<Contender[]> {
  const files = (await readdir(fileURLToPath(CONTENDER_FOLDER))).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('.d.ts'),
  );
  const found: Contender[] = [];
  for (const file of files.sort()) {
    try {
      found.push(await loadContender(file.slice(0, -'.ts'.length)));
    } catch (error) {
      log(`contender ${file} not loaded: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const rank = (contender: Contender) => {
    const index = FIRST.indexOf(contender.name);
    return index === -1 ? FIRST.length : index;
  };
  return found.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

import { resolve } from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * Modules of the isolated bundle that esbuild could not build (a syntax
 * error, an import that resolves nowhere: a contender file someone is still
 * writing in the shared tree), each replaced by a module that throws that
 * error when it is evaluated. Under tsx such a contender is only skipped
 * (`loadContenders` logs it); without this, one broken file would fail the
 * whole bundle and with it every contender of every memory scenario. What
 * imports a stand-in fails with its error too (the stand-in exports nothing).
 */
export class UnbuildableModules {
  readonly #messages = new Map<string, string>();

  get size(): number {
    return this.#messages.size;
  }

  /**
   * Records the files a failed build names. False when there is nothing new
   * to replace (no file named, or only files already replaced): building
   * again would fail the same way.
   */
  record(error: unknown, workingDirectory: string): boolean {
    let added = false;
    for (const { file, text } of failedFiles(error)) {
      const path = resolve(workingDirectory, file);
      if (this.#messages.has(path)) continue;
      this.#messages.set(path, `${file} did not build: ${text}`);
      added = true;
    }
    return added;
  }

  /** The esbuild plugin that serves the throwing stand-ins. */
  plugin(): Plugin {
    const messages = this.#messages;
    return {
      name: 'unbuildable-modules',
      setup(builder) {
        builder.onLoad({ filter: /.*/ }, (args) => {
          const message = messages.get(args.path);
          if (message === undefined) return undefined;
          return { contents: `throw new Error(${JSON.stringify(message)});\n`, loader: 'js' };
        });
      },
    };
  }
}

/** The file and message of each error in an esbuild BuildFailure. */
function failedFiles(error: unknown): { file: string; text: string }[] {
  const errors = (error as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  const found: { file: string; text: string }[] = [];
  for (const item of errors as { text?: unknown; location?: { file?: unknown } | null }[]) {
    const file = item.location?.file;
    if (typeof file === 'string' && file !== '') found.push({ file, text: String(item.text) });
  }
  return found;
}

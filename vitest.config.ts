import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// One project per package/app that has a test/ folder. Tests import sibling
// packages through the `@x/source` export condition, so they run against
// src/ without building anything first.
const roots = ['packages', 'apps'].flatMap((group) =>
  (existsSync(group) ? readdirSync(group, { withFileTypes: true }) : [])
    .filter((entry) => entry.isDirectory() && existsSync(join(group, entry.name, 'test')))
    .map((entry) => join(group, entry.name)),
);

export default defineConfig({
  resolve: { conditions: ['@x/source'] },
  ssr: { resolve: { conditions: ['@x/source'] } },
  test: {
    projects: roots.map((root) => ({
      extends: true,
      test: {
        name: root.split('/')[1],
        root,
        include: ['test/**/*.test.ts'],
      },
    })),
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // A hanging socket must fail the run, not stall it.
    teardownTimeout: 10_000,
  },
});

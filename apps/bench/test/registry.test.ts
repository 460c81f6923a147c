import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadContender, loadContenders } from '../src/contenders.js';
import { selectScenarios } from '../src/run.js';
import { SCENARIOS } from '../src/scenarios/index.js';

describe('contender discovery', () => {
  it('loads every file in src/contenders, each named after its file, ceiling and baseline first', async () => {
    const files = (await readdir(fileURLToPath(new URL('../src/contenders/', import.meta.url)))).filter(
      (file) => file.endsWith('.ts'),
    );
    const problems: string[] = [];
    const contenders = await loadContenders((line) => problems.push(line));
    expect(problems).toEqual([]);
    expect(contenders.map((contender) => `${contender.name}.ts`).sort()).toEqual(files.sort());
    expect(contenders.slice(0, 2).map((contender) => contender.name)).toEqual([
      'raw-socket',
      'undici-request',
    ]);
    expect(
      contenders.filter((contender) => contender.ceiling === true).map((contender) => contender.name),
    ).toEqual(['raw-socket']);
  });

  it('refuses names that are not plain kebab-case file names', async () => {
    await expect(loadContender('../run')).rejects.toThrow(/Invalid contender name/);
  });

  it('lists every request scenario’s baseline as a contender that supports it', async () => {
    const contenders = await loadContenders();
    for (const scenario of SCENARIOS) {
      if (scenario.kind !== 'http') continue;
      const baseline = contenders.find((contender) => contender.name === scenario.baseline);
      expect(baseline?.supports(scenario.traits), scenario.name).toBe(true);
    }
  });
});

describe('scenario selection', () => {
  it('runs all scenarios by default and named ones in the order given', () => {
    expect(selectScenarios([])).toHaveLength(SCENARIOS.length);
    expect(selectScenarios(['json-get', 'small-get']).map((scenario) => scenario.name)).toEqual([
      'json-get',
      'small-get',
    ]);
  });

  it('rejects an unknown scenario instead of silently running nothing', () => {
    expect(() => selectScenarios(['smal-get'])).toThrow(/Unknown scenario "smal-get"/);
  });

  it('has unique scenario names', () => {
    expect(new Set(SCENARIOS.map((scenario) => scenario.name)).size).toBe(SCENARIOS.length);
  });
});

import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadContender } from '../contenders.js';
import { findScenario, SCENARIOS } from '../scenarios/index.js';
import { POOL, STACK } from '../stack-cost.js';
import { interleavedTable, type ScenarioCost } from './interleaved-report.js';
import { eligible, runInterleaved } from './interleaved-run.js';

const RESULTS = fileURLToPath(new URL('../../results/', import.meta.url));

const USAGE = `pnpm --filter @x/bench stack-cost [scenario…] [--rounds N] [--turn-ms N] [--quick] [--latest]

x-client against x-pool in one process, turns interleaved, over the bench's loopback servers.
  --rounds N    rounds per scenario (default 31)
  --turn-ms N   target length of one turn in ms (default 150)
  --quick       3 rounds of short turns (checks that it runs; the numbers mean little)
  --latest      write results/stack-cost-latest.md (else a dated, git-ignored file)`;

export async function main(argv: readonly string[]): Promise<number> {
  const names: string[] = [];
  let rounds = 31;
  let turnMs = 150;
  let warmupMs = 1_000;
  let latest = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    if (argument === '--rounds' || argument === '--turn-ms') {
      const value = Number(argv[++index]);
      if (!Number.isInteger(value) || value < 1) {
        console.error(`${argument} needs a whole number of at least 1\n\n${USAGE}`);
        return 2;
      }
      if (argument === '--rounds') rounds = value;
      else turnMs = value;
    } else if (argument === '--quick') {
      rounds = 3;
      turnMs = 20;
      warmupMs = 100;
    } else if (argument === '--latest') latest = true;
    else if (argument === '--help') {
      console.log(USAGE);
      return 0;
    } else if (argument.startsWith('--')) {
      console.error(`unknown option ${argument}\n\n${USAGE}`);
      return 2;
    } else names.push(argument);
  }
  const stack = await loadContender(STACK);
  const pool = await loadContender(POOL);
  const candidates = SCENARIOS.filter((scenario) => eligible(scenario, stack, pool));
  for (const name of names) {
    const scenario = findScenario(name);
    if (scenario === undefined || !eligible(scenario, stack, pool)) {
      console.error(
        `${name}: not a scenario this run can measure (${candidates.map((s) => s.name).join(', ')})`,
      );
      return 2;
    }
  }
  const chosen =
    names.length === 0 ? candidates : candidates.filter((scenario) => names.includes(scenario.name));
  const costs: ScenarioCost[] = [];
  for (const scenario of chosen) {
    costs.push(
      await runInterleaved(scenario, { rounds, turnMs, warmupMs, log: (line) => console.log(line) }),
    );
  }
  const markdown = interleavedTable(costs, { date: new Date(), node: process.version, rounds });
  console.log(`\n${markdown}`);
  await mkdir(RESULTS, { recursive: true });
  const stamp = new Date().toISOString().replaceAll(':', '-').slice(0, 19);
  const file = `${RESULTS}${latest ? 'stack-cost-latest.md' : `stack-cost-${stamp}.md`}`;
  await writeFile(file, markdown);
  console.log(`Written: ${file}`);
  return costs.some((row) => row.cost === null) ? 1 : 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}

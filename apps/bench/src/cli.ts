import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ChildProcesses } from './child-processes.js';
import { consoleReport, readmeReport, replaceBenchSection, writeReports } from './report.js';
import { type RunResult, runBenchmarks } from './run.js';
import { SCENARIOS } from './scenarios/index.js';
import { summariseScenario } from './summary.js';

const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));
const ROOT_README = fileURLToPath(new URL('../../../README.md', import.meta.url));

const HELP = `Usage: pnpm bench [scenario ...] [options]

Runs the benchmark scenarios (all by default) against loopback servers in
their own processes and prints one table per scenario.

Options:
  --quick                each scenario once, tiny (a few hundred requests, 8 MiB download)
  --contender <names>    comma-separated contenders to run (ceiling and baseline always kept)
  --shared-process       run every request scenario's contenders in the harness process (as before
                         forks), to compare; by default each contender runs in a process of its own
  --latest               write results/latest.md + latest.json and update the root README table
                         (default: results/local-<date>.md + .json, not committed)
  --rerender             re-render results/latest.md and the root README from results/latest.json
                         (after a change to the report format; measures nothing)
  --list                 list scenarios and exit
  --help                 this text

Scenarios: ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      contender: { type: 'string' },
      latest: { type: 'boolean', default: false },
      'shared-process': { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      rerender: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.list) {
    for (const scenario of SCENARIOS) console.log(`${scenario.name.padEnd(20)} ${scenario.title}`);
    return 0;
  }
  if (values.rerender) {
    const result = JSON.parse(await readFile(`${RESULTS}latest.json`, 'utf8')) as RunResult;
    console.log(`Written: ${(await writeReports(result, RESULTS, 'latest')).join(', ')}`);
    await updateReadme(readmeReport(result));
    return 0;
  }
  const children = new ChildProcesses();
  // Servers and isolated contenders die with us, however we stop.
  process.once('exit', () => children.killAllNow());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      children.killAllNow();
      process.exit(130);
    });
  }
  const result = await runBenchmarks({
    mode: values.quick ? 'quick' : 'full',
    scenarios: positionals,
    contenders: values.contender?.split(',').filter((name) => name !== ''),
    sharedProcess: values['shared-process'],
    log: (line) => console.error(line),
    children,
  });
  console.log(consoleReport(result));
  const name = values.latest
    ? 'latest'
    : `local-${result.environment.date.replaceAll(':', '-').slice(0, 19)}`;
  const written = await writeReports(result, RESULTS, name);
  console.log(`\nWritten: ${written.join(', ')}`);
  if (values.latest) await updateReadme(readmeReport(result));
  const failures = result.scenarios.flatMap((scenario) => [
    ...(scenario.error === undefined ? [] : [`${scenario.name}: ${scenario.error}`]),
    ...summariseScenario(scenario)
      .contenders.filter((contender) => contender.error !== undefined)
      .map((contender) => `${scenario.name}/${contender.name}: ${contender.error}`),
  ]);
  for (const failure of failures) console.error(`FAILED ${failure}`);
  return failures.length === 0 ? 0 : 1;
}

/** Rewrites the root README's benchmark section, if it has the markers. */
async function updateReadme(markdown: string): Promise<void> {
  const updated = replaceBenchSection(await readFile(ROOT_README, 'utf8'), markdown);
  if (updated === null) {
    console.error('Root README has no <!-- bench:start --> … <!-- bench:end --> section: not updated');
    return;
  }
  await writeFile(ROOT_README, updated);
  console.log('Root README table updated.');
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);

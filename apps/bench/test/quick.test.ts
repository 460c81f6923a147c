import { describe, expect, it } from 'vitest';
import { ChildProcesses } from '../src/child-processes.js';
import { jsonReport, markdownReport, readmeReport } from '../src/report.js';
import { runBenchmarks } from '../src/run.js';
import { SCENARIOS } from '../src/scenarios/index.js';
import { summariseScenario } from '../src/summary.js';

// The CI guard for the harness: every scenario once, tiny. Speed is not
// asserted (that is what the full run is for), only that every contender
// really completed every request it sent and that the report is whole.
describe('pnpm bench --quick', () => {
  it('runs every scenario with every contender it lists, every response checked', {
    timeout: 120_000,
  }, async () => {
    const children = new ChildProcesses();
    const result = await runBenchmarks({ mode: 'quick', children });
    expect(children.size).toBe(0);
    expect(result.scenarios.map((scenario) => scenario.name)).toEqual(
      SCENARIOS.map((scenario) => scenario.name),
    );

    for (const scenario of result.scenarios) {
      expect(scenario.error, scenario.name).toBeUndefined();
      expect(scenario.contenders.length, scenario.name).toBeGreaterThan(0);
      for (const contender of scenario.contenders) {
        const where = `${scenario.name}/${contender.name}`;
        expect(contender.error, where).toBeUndefined();
        expect(contender.samples, where).toHaveLength(1);
        const [sample] = contender.samples;
        expect(sample?.completed, where).toBeGreaterThan(0);
        expect(sample?.completed, where).toBe(sample?.sent);
        expect(sample?.failed, where).toBe(0);
        expect(sample?.cpuMicros, where).toBeGreaterThan(0);
      }
      expect(
        scenario.contenders.some((contender) => contender.name === scenario.baseline),
        scenario.name,
      ).toBe(true);
    }

    const names = (scenario: string) =>
      result.scenarios
        .find((candidate) => candidate.name === scenario)
        ?.contenders.map((contender) => contender.name);
    expect(names('small-get')).toEqual([
      'raw-socket',
      'undici-request',
      'axios',
      'got',
      'node-http',
      'undici-fetch',
      'undici-pool',
      'x-client',
      'x-fetch',
      'x-pool',
    ]);
    expect(names('pipelined-get')).toEqual([
      'raw-socket',
      'undici-request',
      'undici-pipelined',
      'x-pool-pipelined',
    ]);
    // fetch and axios expose no trailers: not listed rather than faked.
    expect(names('chunked-trailers')).not.toContain('undici-fetch');
    expect(names('chunked-trailers')).not.toContain('axios');
    for (const scenario of ['cache-hit', 'cache-revalidate', 'cache-memory']) {
      expect(names(scenario), scenario).toEqual([
        'raw-socket',
        'undici-request',
        'undici-cache',
        'x-cache',
        'x-client',
      ]);
    }
    // The memory scenario stores one entry per request, in a process of its own per contender.
    const cacheMemory = result.scenarios.find((scenario) => scenario.name === 'cache-memory');
    for (const contender of cacheMemory?.contenders ?? []) {
      expect(contender.samples[0]?.completed, contender.name).toBe(200);
      expect(contender.samples[0]?.rssBeforeBytes, contender.name).toBeGreaterThan(0);
    }
    // Our one-connection-per-request transport is only listed where that is fair.
    expect(
      result.scenarios
        .filter((scenario) => names(scenario.name)?.includes('x-http1'))
        .map((scenario) => scenario.name),
    ).toEqual(['new-connection-get', 'download']);
    expect(names('parse-response')).toEqual(['undici-llhttp', 'x-response-parser']);
    expect(names('structured-fields')).toEqual(['structured-headers', 'x-headers']);

    // The download runs each contender in its own process and reports that process's peak RSS.
    const download = result.scenarios.find((scenario) => scenario.name === 'download');
    for (const contender of download?.contenders ?? []) {
      expect(contender.samples[0]?.peakRssBytes, contender.name).toBeGreaterThan(8 * 1024 * 1024);
      expect(contender.samples[0]?.bodyBytes, contender.name).toBe(8 * 1024 * 1024);
      // The idle process (Node, loader, modules) is part of the peak, never more than it.
      const idle = contender.samples[0]?.idleRssBytes ?? 0;
      expect(idle, contender.name).toBeGreaterThan(8 * 1024 * 1024);
      expect(idle, contender.name).toBeLessThanOrEqual(contender.samples[0]?.peakRssBytes ?? 0);
    }
    // The fair reference for a client that hands chunks to its caller runs beside the ceiling.
    expect(download?.contenders.map((contender) => contender.name)).toContain('raw-socket-stream');

    // Ratios are against the baseline, which is 1 by definition.
    const smallGet = result.scenarios.find((scenario) => scenario.name === 'small-get');
    const baseline = summariseScenario(smallGet as NonNullable<typeof smallGet>).contenders.find(
      (contender) => contender.name === 'undici-request',
    );
    expect(baseline?.vsBaseline).toBe(1);

    const markdown = markdownReport(result);
    expect(markdown).toContain(result.environment.node);
    expect(markdown).toContain('| raw-socket (ceiling) |');
    expect(markdown).toContain('Quick mode: no warm-up');
    expect(markdown).toMatch(/\| small-get \| x-pool \| undici-request \| \d+\.\d\d× \| \d+\.\d\d× \|/);
    const readme = readmeReport(result);
    expect(readme).toContain('| scenario | baseline | raw-socket | undici-request |');
    // Parsing contenders are in the overview only, not columns of the request matrix.
    const matrixHeader = readme.split('\n').find((line) => line.startsWith('| scenario | baseline |'));
    expect(matrixHeader).toContain('| x-pool |');
    expect(matrixHeader).not.toContain('undici-llhttp');
    expect(readme).toContain('| parse-response | x-response-parser | undici-llhttp |');
    const json = JSON.parse(jsonReport(result)) as { environment: { cpu: string }; scenarios: unknown[] };
    expect(json.environment.cpu).toBe(result.environment.cpu);
    expect(json.scenarios).toHaveLength(SCENARIOS.length);
  });
});
